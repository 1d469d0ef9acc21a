package stride

import (
	"slices"
	"testing"

	"github.com/threatmap/threatmap/graph"
)

// TestDeviceInterfaceBox: a device's local interface drawn as a box of its
// own is read as the device's interface, so the unauthenticated
// local-access threat (S-IOT-03) sits on the box the callers reach and not
// on the device; a box that names a local interface but serves two
// devices is not read as either's, and each device keeps the threat.
func TestDeviceInterfaceBox(t *testing.T) {
	tests := []struct {
		name  string
		comps []string
		flows []string
		geom  map[string]graph.Rect // drawn boxes, by label
		on    []string              // elements S-IOT-03 sits on
	}{
		{"box beside the device", []string{"s:Home script:actor:", "api:Local API::", "dev:Smart thermostat::"},
			[]string{"s>api:HTTP", "api>dev:set point"}, nil, []string{"Local API"}},
		{"debug console called by a laptop", []string{"l:Technician laptop:actor:", "dbg:Debug console::", "dev:Smart meter::"},
			[]string{"l>dbg:serial", "dbg>dev:commands"}, nil, []string{"Debug console"}},
		{"no interface box", []string{"s:Home script:actor:", "dev:Smart thermostat::"},
			[]string{"s>dev:HTTP"}, nil, []string{"Smart thermostat"}},
		{"one box, two devices", []string{"s:Home script:actor:", "api:Local API::", "d1:Smart thermostat::", "d2:Smart meter::"},
			[]string{"s>api:HTTP", "api>d1:set point", "api>d2:read"}, nil, []string{"Smart meter", "Smart thermostat"}},
		{"box attached to the device's edge, no flow between them", []string{"s:Home script:actor:", "api:Local web UI::", "dev:Smart thermostat::", "c:Cloud service::"},
			[]string{"s>api:HTTP", "c>dev:HTTP"}, map[string]graph.Rect{"Local web UI": {X: 200, Y: 40, W: 80, H: 40}, "Smart thermostat": {X: 100, Y: 20, W: 96, H: 80}},
			[]string{"Local web UI"}},
		{"box drawn apart from the device", []string{"s:Home script:actor:", "api:Local web UI::", "dev:Smart thermostat::", "c:Cloud service::"},
			[]string{"s>api:HTTP", "c>dev:HTTP"}, map[string]graph.Rect{"Local web UI": {X: 400, Y: 40, W: 80, H: 40}, "Smart thermostat": {X: 100, Y: 20, W: 96, H: 80}},
			[]string{"Smart thermostat"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mini(t, nil, tt.comps, tt.flows)
			for i := range d.Components {
				if g, ok := tt.geom[d.Components[i].Label]; ok {
					d.Components[i].Geometry = &g
				}
			}
			r := analyze(t, d, Options{Unfolded: true})
			var on []string
			for _, th := range r.Threats {
				if th.Rule == "S-IOT-03" {
					on = append(on, th.ElementName)
				}
			}
			if !slices.Equal(on, tt.on) {
				t.Errorf("S-IOT-03 on %q, want %q", on, tt.on)
			}
		})
	}
}
