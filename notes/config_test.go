package notes

import (
	"reflect"
	"testing"
)

// Keys oneone does not read are listed with their lines (CRLF and a BOM do not
// shift them); every key of the spec is known.
func TestConfigUnknownKeys(t *testing.T) {
	c, err := ParseConfig([]byte("\ufeffmanager: Dana\r\n# a comment\r\ntoken: ghp_x\r\ncadance: weekly\r\naway: []\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := []ConfigKey{{"token", 3}, {"cadance", 4}}; !reflect.DeepEqual(c.Unknown, want) {
		t.Fatalf("Unknown = %v, want %v", c.Unknown, want)
	}
	all := "manager: D\ncadence: weekly\ngrace: 2d\ngoals_every: 8w\ntheme_length: 8w\nprepare_ahead: 2d\naway: []\nsync: manual\nrecipients: []\norg: {}\nshare_feedback: after\n"
	if c, err := ParseConfig([]byte(all)); err != nil || len(c.Unknown) != 0 {
		t.Fatalf("the spec's keys: %v, %v", c.Unknown, err)
	}
}
