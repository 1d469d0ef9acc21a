package stride

import (
	"slices"
	"testing"
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
		on    []string // elements S-IOT-03 sits on
	}{
		{"box beside the device", []string{"s:Home script:actor:", "api:Local API::", "dev:Smart thermostat::"},
			[]string{"s>api:HTTP", "api>dev:set point"}, []string{"Local API"}},
		{"debug console called by a laptop", []string{"l:Technician laptop:actor:", "dbg:Debug console::", "dev:Smart meter::"},
			[]string{"l>dbg:serial", "dbg>dev:commands"}, []string{"Debug console"}},
		{"no interface box", []string{"s:Home script:actor:", "dev:Smart thermostat::"},
			[]string{"s>dev:HTTP"}, []string{"Smart thermostat"}},
		{"one box, two devices", []string{"s:Home script:actor:", "api:Local API::", "d1:Smart thermostat::", "d2:Smart meter::"},
			[]string{"s>api:HTTP", "api>d1:set point", "api>d2:read"}, []string{"Smart meter", "Smart thermostat"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := analyze(t, mini(t, nil, tt.comps, tt.flows), Options{Unfolded: true})
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
