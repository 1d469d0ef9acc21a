package mermaid

import (
	"bytes"
	"fmt"
	"testing"
)

// gen20000 writes a 20,000-line flowchart: 400 subgraphs of 50 lines, each
// with node definitions of several shapes, labelled edges of every style,
// "&" fan-out, ":::" and class statements and a link to the previous zone.
func gen20000() []byte {
	var b bytes.Buffer
	b.WriteString("flowchart LR\n")
	lines := 1
	for z := 0; lines < 20000; z++ {
		fmt.Fprintf(&b, "  subgraph z%d [\"Zone %d<br/>tier\"]\n", z, z)
		lines++
		for k := 0; k < 46 && lines < 19999; k++ {
			n := fmt.Sprintf("n%d_%d", z, k)
			switch k % 6 {
			case 0:
				fmt.Fprintf(&b, "    %s[\"Service %d.%d<br/>(HTTPS)\"]\n", n, z, k)
			case 1:
				fmt.Fprintf(&b, "    %s[(Database %d)] -->|\"SQL over TLS\"| n%d_%d\n", n, z, z, k-1)
			case 2:
				fmt.Fprintf(&b, "    %s([User %d]) -- login request --> n%d_%d\n", n, k, z, k-2)
			case 3:
				fmt.Fprintf(&b, "    %s{Decision} -. async event .-> n%d_%d & n%d_%d\n", n, z, k-1, z, k-2)
			case 4:
				fmt.Fprintf(&b, "    %s --> n%d_%d ==> n%d_%d\n", n, z, k-3, z, k-4)
			case 5:
				fmt.Fprintf(&b, "    %s:::svc --- n%d_%d\n", n, z, k-5)
			}
			lines++
		}
		if lines >= 19999 {
			b.WriteString("  end\n")
			lines++
			break
		}
		fmt.Fprintf(&b, "    class n%d_0 datastore\n", z)
		lines++
		if z > 0 {
			fmt.Fprintf(&b, "    n%d_0 -->|\"cross-zone call\"| n%d_3\n", z, z-1)
			lines++
		}
		b.WriteString("  end\n")
		lines++
	}
	for lines < 20000 {
		b.WriteString("%% padding\n")
		lines++
	}
	return b.Bytes()
}

func TestGen20000(t *testing.T) {
	src := gen20000()
	if n := bytes.Count(src, []byte("\n")); n != 20000 {
		t.Fatalf("generated %d lines", n)
	}
	ds, err := Import("big.mmd", src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := ds[0]
	if len(d.Boundaries) < 400 || len(d.Components) < 15000 || len(d.Flows) < 15000 || len(d.Warnings) != 0 {
		t.Errorf("%d boundaries, %d components, %d flows, %d warnings", len(d.Boundaries), len(d.Components), len(d.Flows), len(d.Warnings))
	}
	t.Logf("%d bytes: %d boundaries, %d components, %d flows", len(src), len(d.Boundaries), len(d.Components), len(d.Flows))
}

func BenchmarkParse20000(b *testing.B) {
	src := gen20000()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Import("big.mmd", src, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
