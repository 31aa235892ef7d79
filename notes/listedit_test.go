package notes

import (
	"strings"
	"testing"
)

func TestConfigListEdits(t *testing.T) {
	const k1, k2 = "age1aaa", "age1bbb"
	for _, c := range []struct {
		name, in, added, removed string
	}{
		{"missing key", "manager: Dana # me\ncadence: weekly\n",
			"manager: Dana # me\ncadence: weekly\nrecipients:\n  - age1bbb\n",
			"manager: Dana # me\ncadence: weekly\nrecipients:\n"},
		{"block list", "manager: Dana\nrecipients:\n  # laptop\n  - age1aaa   # laptop\nsync: auto\n",
			"manager: Dana\nrecipients:\n  # laptop\n  - age1aaa   # laptop\n  - age1bbb\nsync: auto\n",
			"manager: Dana\nrecipients:\n  # laptop\n  - age1aaa   # laptop\nsync: auto\n"},
		{"flush block list", "recipients:\n- age1aaa\n",
			"recipients:\n- age1aaa\n- age1bbb\n",
			"recipients:\n- age1aaa\n"},
		{"empty flow list", "manager: Dana\nrecipients: []  # none yet\n",
			"manager: Dana\nrecipients:  # none yet\n  - age1bbb\n",
			"manager: Dana\nrecipients:  # none yet\n"},
		{"flow list", "recipients: [age1aaa]\r\nmanager: Dana\r\n",
			"recipients:\r\n  - age1aaa\r\n  - age1bbb\r\nmanager: Dana\r\n",
			"recipients:\r\n  - age1aaa\r\nmanager: Dana\r\n"},
		{"one value", "recipients: age1aaa # the laptop\n",
			"recipients: # the laptop\n  - age1aaa\n  - age1bbb\n",
			"recipients: # the laptop\n  - age1aaa\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, err := AddConfigListItem([]byte(c.in), "recipients", k2)
			if err != nil || string(out) != c.added {
				t.Fatalf("add:\n%q\nwant\n%q (%v)", out, c.added, err)
			}
			cfg, err := ParseConfig(out)
			if err != nil || cfg.Recipients[len(cfg.Recipients)-1] != k2 {
				t.Fatalf("parse: %v %v", cfg.Recipients, err)
			}
			back, err := RemoveConfigListItem(out, "recipients", k2)
			if err != nil || string(back) != c.removed {
				t.Fatalf("remove:\n%q\nwant\n%q (%v)", back, c.removed, err)
			}
			if strings.Contains(c.in, k1) {
				none, err := RemoveConfigListItem(back, "recipients", k1)
				if err != nil {
					t.Fatal(err)
				}
				if cfg, err := ParseConfig(none); err != nil || len(cfg.Recipients) != 0 {
					t.Fatalf("emptied: %q %v %v", none, cfg.Recipients, err)
				}
			}
		})
	}
	same, err := RemoveConfigListItem([]byte("recipients:\n  - age1aaa\n"), "recipients", "age1zzz")
	if err != nil || string(same) != "recipients:\n  - age1aaa\n" {
		t.Fatalf("removing a key not there: %q %v", same, err)
	}
	if _, err := AddConfigListItem([]byte("recipients: {a: 1}\n"), "recipients", k2); err == nil {
		t.Fatal("a mapping accepted as a list")
	}
	if _, err := ParseConfig([]byte("recipients: {a: 1}\n")); err == nil {
		t.Fatal("ParseConfig accepted a mapping of recipients")
	}
}

func TestProfileListEdit(t *testing.T) {
	in := "---\nname: Alice Chen\nshare: /srv/alice.git\n---\nShe wants to lead.\n"
	out, err := AddListItem([]byte(in), "share_to", "age1ccc")
	want := "---\nname: Alice Chen\nshare: /srv/alice.git\nshare_to:\n  - age1ccc\n---\nShe wants to lead.\n"
	if err != nil || string(out) != want {
		t.Fatalf("%q %v", out, err)
	}
	back, err := RemoveListItem(out, "share_to", "age1ccc")
	if err != nil || string(back) != "---\nname: Alice Chen\nshare: /srv/alice.git\nshare_to:\n---\nShe wants to lead.\n" {
		t.Fatalf("%q %v", back, err)
	}
}
