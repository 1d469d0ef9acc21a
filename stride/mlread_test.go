package stride

import "testing"

// mlEnvs imports src and returns the Env of every component by label.
func mlEnvs(t *testing.T, src string) map[string]*Env {
	t.Helper()
	d := importText(t, "ml.mmd", src)
	a := &analysis{d: d, workers: 1}
	a.readContext()
	out := map[string]*Env{}
	for _, ci := range a.comps {
		out[ci.label] = ci.env
	}
	return out
}

// visionML is an image classifier's life cycle, of our own: people label
// photos in a notebook, a training job writes the model to a bucket, and
// an inference API behind a gateway loads it.
const visionML = `flowchart LR
  ds(["Data Scientist"])
  cust(["Customer"])
  subgraph lab [Research VPC]
    nb["Notebook Server"]
    photos[("Labelled Photos")]
    arts[("Model Artefacts (S3)")]
    tr["Training Job"]
  end
  subgraph prod [Production]
    gw["Web Gateway"]
    inf["Scoring Service"]
  end
  ds -->|"HTTPS"| nb
  nb -->|"write labels"| photos
  photos -->|"read"| tr
  tr -->|"write model"| arts
  cust -->|"HTTPS upload photo"| gw
  gw -->|"HTTPS"| inf
  arts -->|"load model"| inf
`

// agentML is an LLM assistant of our own: an orchestrator prompts a
// self-hosted model, and a tools box sits in the orchestrator's frame with
// no flow from it; a second frame fine-tunes adapters the model loads.
const agentML = `flowchart LR
  cust(["Customer"])
  crm(["CRM SaaS"])
  subgraph app [Assistant Platform]
    ui["Chat UI"]
    orch["Agent Orchestrator (LangChain)"]
    llm["Self-hosted LLM"]
    tools["Tools"]
    hist[("Conversation History")]
  end
  subgraph tune [Tuning]
    ft["Fine-tuning Pipeline"]
    fds[("Fine-tuning Dataset")]
    lora[("LoRA Adapters")]
  end
  cust -->|"HTTPS"| ui
  ui -->|"HTTPS"| orch
  orch -->|"prompt"| llm
  orch -->|"write"| hist
  fds -->|"read"| ft
  ft -->|"write"| lora
  lora -->|"load"| llm
  tools -->|"HTTPS API"| crm
`

func TestMLReading(t *testing.T) {
	for _, tc := range []struct {
		name, src, comp        string
		asset, stores, drivers string
		promptSenders          string
	}{
		{name: "notebook", src: visionML, comp: "Notebook Server", asset: "notebook"},
		{name: "labelled data in an ML system", src: visionML, comp: "Labelled Photos", asset: "training-data"},
		{name: "model in a bucket", src: visionML, comp: "Model Artefacts (S3)", asset: "model"},
		{name: "training job", src: visionML, comp: "Training Job", asset: "training"},
		{name: "a service that loads a model", src: visionML, comp: "Scoring Service", stores: "Model Artefacts (S3)"},
		{name: "a gateway is not ML", src: visionML, comp: "Web Gateway"},
		{name: "self-hosted LLM", src: agentML, comp: "Self-hosted LLM", asset: "model", stores: "LoRA Adapters", promptSenders: "Agent Orchestrator (LangChain)"},
		{name: "the application around a model is not the model", src: agentML, comp: "Agent Orchestrator (LangChain)"},
		{name: "tools in the agent's frame without a flow from it", src: agentML, comp: "Tools",
			drivers: "Agent Orchestrator (LangChain) and Self-hosted LLM"},
		{name: "fine-tuning data", src: agentML, comp: "Fine-tuning Dataset", asset: "training-data"},
		{name: "adapters are model weights", src: agentML, comp: "LoRA Adapters", asset: "model"},
		{name: "fine-tuning pipeline", src: agentML, comp: "Fine-tuning Pipeline", asset: "training"},
		{name: "a conversation log is not ML", src: agentML, comp: "Conversation History"},
		// Without anything ML in the diagram, training words keep their
		// everyday meaning.
		{name: "HR training records", comp: "Training Records", src: `flowchart LR
  u(["Employee"])
  subgraph hr [HR]
    p["HR Portal"]
    db[("Training Records")]
  end
  u -->|"HTTPS"| p
  p -->|"SQL"| db
`},
		// Plugins deployed next to an application that also calls a
		// model are not the model's tools.
		{name: "plugins beside an ordinary app", comp: "Billing Plugin Server", src: `flowchart LR
  u(["Customer"])
  llm(["OpenAI API"])
  subgraph edge [Edge]
    app["Core App Server"]
    plug["Billing Plugin Server"]
  end
  u -->|"HTTPS"| app
  app -->|"HTTPS"| llm
`},
		// "Model" names an ML model only as what a process is, not
		// what it works on.
		{name: "model evaluation is not a model", comp: "Model Evaluation", src: `flowchart LR
  subgraph ml [ML]
    ev["Model Evaluation"]
    m[("Model Registry")]
  end
  m -->|"read"| ev
`, stores: "Model Registry"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			envs := mlEnvs(t, tc.src)
			e := envs[tc.comp]
			if e == nil {
				t.Fatalf("no component %q", tc.comp)
			}
			if e.MLAsset != tc.asset || e.ModelStores != tc.stores || e.ModelDrivers != tc.drivers ||
				e.PromptSenders != tc.promptSenders {
				t.Errorf("%s: MLAsset %q ModelStores %q ModelDrivers %q PromptSenders %q; want %q %q %q %q",
					tc.comp, e.MLAsset, e.ModelStores, e.ModelDrivers, e.PromptSenders,
					tc.asset, tc.stores, tc.drivers, tc.promptSenders)
			}
		})
	}
}

// The ML family on the two systems above: each asset gets its threats,
// rated as an expert would (session 7: a notebook is no longer Critical,
// poisoned training data is one band below weights replaced where they
// are served, model theft and adversarial inputs are Medium, excessive agency of
// tools that act on an outside system is High).
func TestMLFamily(t *testing.T) {
	vision := analyze(t, importText(t, "vision.mmd", visionML), Options{})
	agent := analyze(t, importText(t, "agent.mmd", agentML), Options{})
	for _, tc := range []struct {
		r          *Report
		rule, comp string
		severity   Severity
	}{
		{vision, "T-ML-03", "Notebook Server", SeverityMedium},
		{vision, "T-ML-03", "Labelled Photos", SeverityMedium},
		{vision, "T-ML-03", "Model Artefacts (S3)", SeverityHigh},
		{vision, "I-ML-04", "Model Artefacts (S3)", SeverityMedium},
		{vision, "T-ML-05", "Scoring Service", SeverityMedium},
		{vision, "I-ML-06", "Scoring Service", SeverityLow},
		{agent, "E-ML-08", "Tools", SeverityHigh},
		{agent, "T-ML-09", "Tools", SeverityMedium},
		{agent, "E-ML-01", "Agent Orchestrator (LangChain)", SeverityHigh},
		{agent, "T-ML-03", "Self-hosted LLM", SeverityMedium},
		{agent, "D-ML-07", "Agent Orchestrator (LangChain)", SeverityMedium},
		{agent, "I-ML-04", "LoRA Adapters", SeverityMedium},
	} {
		th := oneThreat(t, tc.r, tc.rule, tc.comp)
		if th.Severity != tc.severity {
			t.Errorf("%s on %s: %s (L%d x I%d), want %s", tc.rule, tc.comp, th.Severity, th.Likelihood, th.Impact, tc.severity)
		}
	}
	// Mass assignment is not a notebook's tampering threat; the
	// orchestrator's exhaustion is the model's (D-ML-07), not D-PRC-04's.
	for _, tc := range []struct {
		r          *Report
		rule, comp string
	}{
		{vision, "T-PRC-01", "Notebook Server"},
		{vision, "D-ML-07", "Scoring Service"},
		{agent, "D-PRC-04", "Agent Orchestrator (LangChain)"},
		{agent, "T-ML-05", "Self-hosted LLM"},
	} {
		if ts := threatsBy(tc.r, tc.rule, tc.comp); len(ts) != 0 {
			t.Errorf("%s fires on %s: %q", tc.rule, tc.comp, ts[0].Title)
		}
	}
}
