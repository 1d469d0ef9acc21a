package labeltext

import "testing"

func TestFromHTML(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"  spaced   out  ", "spaced out"},
		{"a<br>b", "a\nb"},
		{"a<br/>b<br />c", "a\nb\nc"},
		{"<div>Web</div><div>Server</div>", "Web\nServer"},
		{"<b>Bold</b> &amp; <i>it</i>", "Bold & it"},
		{"&lt;script&gt;alert(1)&lt;/script&gt;", "<script>alert(1)</script>"},
		{"<script>alert(1)</script>API", "API"},
		{"x&nbsp;y", "x y"},
		{"<span style=\"color:red\">Red</span>", "Red"},
		{"<p>one</p><p></p><p>two</p>", "one\ntwo"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"tab\tand\x00nul", "tab and nul"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := FromHTML(tt.in); got != tt.want {
			t.Errorf("FromHTML(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\r\nb", "a\nb"},
		{"\n\na\n\n\nb\n\n", "a\n\nb"},
		{"<not html>", "<not html>"},
	}
	for _, tt := range tests {
		if got := Clean(tt.in); got != tt.want {
			t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTruncate(t *testing.T) {
	got, cut := Truncate("héllo", 2)
	if got != "h…" || !cut {
		t.Errorf("Truncate = %q,%v", got, cut)
	}
	got, cut = Truncate("abc", 3)
	if got != "abc" || cut {
		t.Errorf("Truncate = %q,%v", got, cut)
	}
}
