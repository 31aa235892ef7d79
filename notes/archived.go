package notes

// archivedCodes are the findings that still make sense for a report who has
// left (archived on or before the day audited): what the manager still owes
// them (a stale action item: the reference letter, the hand-over) and files
// that need a hand (invalid-note, sync-conflict). Everything about the
// practice going forward — cadence (overdue, never-met, goals-due), themes,
// preparation, feedback, topics — has no object once they are gone.
var archivedCodes = map[string]bool{
	FindStaleAction:  true,
	FindInvalidNote:  true,
	FindSyncConflict: true,
}

// archivedFindings keeps the findings that still apply to a report who has left.
func archivedFindings(fs []Finding) []Finding {
	out := fs[:0]
	for _, f := range fs {
		if archivedCodes[f.Code] {
			out = append(out, f)
		}
	}
	return out
}
