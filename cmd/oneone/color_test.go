package main

import "testing"

func TestColorAllowed(t *testing.T) {
	tests := []struct {
		name          string
		noColor, json bool
		env           map[string]string
		want          bool
	}{
		{"plain", false, false, map[string]string{"TERM": "xterm-256color"}, true},
		{"--no-color", true, false, nil, false},
		{"--json", false, true, nil, false},
		{"NO_COLOR", false, false, map[string]string{"NO_COLOR": "1"}, false},
		{"NO_COLOR empty value is unset", false, false, map[string]string{"NO_COLOR": ""}, true},
		{"TERM=dumb", false, false, map[string]string{"TERM": "dumb"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := colorAllowed(tt.noColor, tt.json, func(k string) string { return tt.env[k] }); got != tt.want {
				t.Errorf("colorAllowed = %v, want %v", got, tt.want)
			}
		})
	}
}
