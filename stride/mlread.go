package stride

import (
	"github.com/threatmap/threatmap/graph"
	"github.com/threatmap/threatmap/stride/catalog"
)

// What the analysis reads of a machine-learning system (Env.MLAsset,
// Env.ModelStores, Env.ModelDrivers): which components are a model's
// weights, the data it is trained on, the jobs that train or fine-tune it
// and the notebooks people build it in, which processes load a stored
// model, and which tools a language model drives. The ML rules
// (rules/ml.yaml) key on these rather than on a technology alone: a model
// file sits in an ordinary bucket, training data in an ordinary share, and
// a tools box is ordinary software that does what a model tells it.

// ML assets (Env.MLAsset).
const (
	mlModel        = "model"
	mlTrainingData = "training-data"
	mlTraining     = "training"
	mlNotebook     = "notebook"
)

// mlWhat names each ML asset for prose.
var mlWhat = map[string]string{
	mlModel:        "model weights",
	mlTrainingData: "training data",
	mlTraining:     "training or fine-tuning",
	mlNotebook:     "notebook code",
}

// mlRoles are the catalog roles of machine-learning technologies.
var mlRoles = map[catalog.Role]bool{
	catalog.RoleMLPlatform: true, catalog.RoleModelServing: true, catalog.RoleModelRegistry: true,
	catalog.RoleLLMAPI: true, catalog.RoleVectorDatabase: true,
}

// mlHostRoles are the roles of technologies that can hold or run a model
// without being ML products (a bucket of weights, a function serving
// predictions): their labels' ML words are read. Any other role (an
// identity provider, a firewall, a monitoring agent) keeps its meaning.
var mlHostRoles = map[catalog.Role]bool{
	catalog.RoleObjectStorage: true, catalog.RoleFileStorage: true, catalog.RoleDatabase: true,
	catalog.RoleDataWarehouse: true, catalog.RoleCompute: true, catalog.RoleServerless: true,
	catalog.RoleWebServer: true, catalog.RoleWorkflow: true, catalog.RoleDataPipeline: true,
	catalog.RoleArtifactRegistry: true, catalog.RoleSourceRepository: true,
	catalog.RoleContainerRuntime: true, catalog.RoleAnalytics: true, catalog.RoleCICD: true,
}

var (
	// mlModelWords name a model's weights or a served model on their own.
	mlModelWords = kw("ml model*", "machine learning model*", "ai model*", "trained model*", "model weight*",
		"weights", "model file*", "model artifact*", "model artefact*", "model checkpoint*", "model binar*",
		"lora", "lora adapter*", "adapter weight*", "safetensors", "onnx", "gguf", "classifier*",
		"neural network*", "neural net", "embedding model*", "fine tuned model*", "finetuned model*",
		"foundation model*", "language model*", "model registry", "model store*", "model repo*",
		"model zoo", "model serving", "model server*", "model endpoint*", "inference*")
	// mlModelWeak is a model in a diagram of an ML system ("Model").
	mlModelWeak = kw("model", "models")
	// notMLModel are other things called a model.
	notMLModel = kw("data model*", "threat model*", "domain model*", "object model*", "business model*",
		"pricing model*", "risk model*", "cost model*", "view model*", "3d model*", "security model*",
		"access model*", "permission model*", "model view*", "operating model*", "role model*")
	// mlTrainWords name training and fine-tuning.
	mlTrainWords = kw("training", "train", "trainer", "fine tun*", "finetun*", "fine tune*", "retrain*",
		"pretrain*", "pre training")
	// mlDataWords name data sets in a diagram of an ML system.
	mlDataWords = kw("dataset*", "data set*", "corpus", "corpora", "labelled", "labeled", "label",
		"annotation*", "feature store*")
	// mlNotebookWords name data-science notebooks.
	mlNotebookWords = kw("notebook*", "jupyter*", "colab")
	// mlToolWords name what a language model drives: its tools, plugins,
	// functions and agents.
	mlToolWords = kw("tool", "tools", "toolkit*", "toolbox*", "plugin*", "plug in*", "function call*",
		"function calling", "agent", "agents", "agentic", "action group*", "mcp", "mcp server*",
		"code interpreter*", "code execution")
	// mlAgentWords name what runs a language model's agent loop, on a
	// component or on the frame around it.
	mlAgentWords = kw("agent*", "agentic", "orchestrat*", "langchain", "langgraph", "llamaindex", "llama index",
		"semantic kernel", "autogen", "crewai", "assistant*", "copilot*", "chatbot*", "chat bot*", "bot", "llm*",
		"gpt*", "genai", "gen ai", "ai", "rag")
)

// readML fills every component's MLAsset, MLWhat, ModelStores,
// PromptSenders and ModelDrivers. It runs once the components' Envs are built (it reads
// their LLMReceivers); it is linear in the components, flows and
// boundaries.
func (a *analysis) readML() {
	inML := false
	for _, ci := range a.comps {
		if ci.mlStrong() {
			inML = true
			break
		}
	}
	if !inML {
		return
	}
	for _, ci := range a.comps {
		if m := ci.mlAsset(); m != "" {
			ci.env.MLAsset, ci.env.MLWhat = m, mlWhat[m]
		}
	}
	for _, ci := range a.comps {
		if ci.kind != graph.KindProcess || ci.env.MLAsset == mlTraining {
			continue
		}
		if ci.env.MLAsset == mlModel {
			var senders []string
			for _, fi := range ci.in {
				if fi.src.drivesTools() {
					senders = append(senders, fi.src.label)
				}
			}
			ci.env.PromptSenders = joinNames(senders)
		}
		var stores []string
		for _, fi := range ci.in {
			if fi.src.kind == graph.KindDataStore && fi.src.env.MLAsset == mlModel {
				stores = append(stores, fi.src.label)
			}
		}
		for _, fi := range ci.out {
			if fi.dst.kind == graph.KindDataStore && fi.dst.env.MLAsset == mlModel && (fi.facts.Pull || fi.f.Bidirectional) {
				stores = append(stores, fi.dst.label)
			}
		}
		ci.env.ModelStores = joinNames(stores)
	}
	a.readModelDrivers()
}

// mlStrong reports whether the component alone shows the diagram is of an
// ML system: an ML technology, a model that follows instructions, or words
// that name a model, a notebook or training data.
func (ci *compInfo) mlStrong() bool {
	if ci.tech != nil && (mlRoles[ci.tech.Role] || ci.tech.Facts.PromptInjectable) {
		return true
	}
	if !ci.mlWordsApply() {
		return false
	}
	return ci.lw.first(mlModelWords) != "" || ci.kind == graph.KindProcess && ci.lw.first(mlNotebookWords) != ""
}

// mlWordsApply reports whether the component's label words may say what
// ML asset it is: no technology, or one that can hold or run a model.
func (ci *compInfo) mlWordsApply() bool {
	return ci.tech == nil || ci.tech.Role == "" || mlRoles[ci.tech.Role] || mlHostRoles[ci.tech.Role]
}

// mlAsset is what ML asset the component is, in a diagram of an ML system;
// "" for none. Technology first (a model server, a notebook, an ML
// platform), then the label's words.
func (ci *compInfo) mlAsset() string {
	if ci.kind == graph.KindExternal {
		return ""
	}
	store := ci.kind == graph.KindDataStore
	train := ci.lw.first(mlTrainWords) != ""
	if t := ci.tech; t != nil {
		switch {
		case t.ID == "jupyter" || t.ID == "aws-sagemaker-notebook":
			return mlNotebook
		case t.Role == catalog.RoleModelRegistry && train:
			return mlTrainingData
		case t.Role == catalog.RoleModelRegistry || t.Role == catalog.RoleModelServing:
			return mlModel
		case t.Role == catalog.RoleMLPlatform:
			return mlTraining
		case t.Facts.PromptInjectable && !store && (ci.env.LLMReceivers == "" || ci.prompted()):
			// A language model drawn inside the system (self-hosted or
			// a provider's, fine-tuned or not): what it answers, what it
			// was tuned on and what it costs are the system's. One that
			// sends prompts to another model and is sent none itself is
			// the application around the model, named after the SDK it
			// calls.
			return mlModel
		case t.Role == catalog.RoleVectorDatabase || t.Role == catalog.RoleLLMAPI:
			return ""
		}
	}
	if !ci.mlWordsApply() {
		return ""
	}
	switch {
	case !store && ci.lw.first(mlNotebookWords) != "":
		return mlNotebook
	case train && store:
		return mlTrainingData
	case train:
		return mlTraining
	case store && ci.lw.first(mlDataWords) != "":
		return mlTrainingData
	case ci.lw.first(mlModelWords) != "":
		return mlModel
	case ci.lw.first(notMLModel) != "":
		return ""
	case store && ci.lw.first(mlModelWeak) != "", !store && modelHead(ci.lw):
		// A store named for models holds them ("Model Storage"); a
		// process is a model only when "model" is what it is, the
		// label's last word ("The Model"), not what it works on
		// ("Model Evaluation", "Model Memory").
		return mlModel
	}
	return ""
}

// modelHead reports whether the label's last word is "model" or "models".
func modelHead(w words) bool {
	if len(w.toks) == 0 {
		return false
	}
	last := w.toks[len(w.toks)-1]
	return last == "model" || last == "models"
}

// prompted reports whether something that builds prompts sends to the
// component (drivesTools): it is the model they prompt.
func (ci *compInfo) prompted() bool {
	for _, fi := range ci.in {
		if fi.src.drivesTools() {
			return true
		}
	}
	return false
}

// drivesTools reports whether the component decides what it does from a
// language model's output: it is a model that follows instructions run
// inside the system, or it sends prompts to one.
func (ci *compInfo) drivesTools() bool {
	if ci.kind != graph.KindProcess || ci.tags[TagProxy] {
		return false
	}
	return ci.tech != nil && ci.tech.Facts.PromptInjectable || ci.env.LLMReceivers != ""
}

// readModelDrivers fills ModelDrivers of the tool, plugin and agent boxes
// a language model drives: the drivers that send to them, and, whether or
// not a flow is drawn, the agents in the same frame, in a frame around it,
// or in a frame drawn beside it (a child of its own frame). An agent is a
// driver that is a model itself, whose label names an agent loop (an
// agent, an orchestrator, an assistant, LangChain), or that sits in a
// frame so named: an ordinary application that also calls a model does
// not drive the plugins deployed next to it.
func (a *analysis) readModelDrivers() {
	parent := make(map[string]string, len(a.d.Boundaries))
	agentFrame := map[string]bool{}
	for _, b := range a.d.Boundaries {
		parent[b.ID] = b.Parent
		if newWords(authorLabel(b)).first(mlAgentWords) != "" {
			agentFrame[b.ID] = true
		}
	}
	byFrame := map[string][]*compInfo{}
	any := false
	for _, ci := range a.comps {
		if !ci.drivesTools() {
			continue
		}
		any = true
		if ci.tech != nil && ci.tech.Facts.PromptInjectable || ci.lw.first(mlAgentWords) != "" || agentFrame[ci.c.Boundary] {
			byFrame[ci.c.Boundary] = append(byFrame[ci.c.Boundary], ci)
		}
	}
	if !any {
		return
	}
	// beside maps a frame to the drivers in the frames drawn directly
	// inside it.
	beside := map[string][]*compInfo{}
	for frame, ds := range byFrame {
		if frame != "" {
			p := parent[frame]
			beside[p] = append(beside[p], ds...)
		}
	}
	for _, ci := range a.comps {
		if ci.kind != graph.KindProcess || ci.drivesTools() || ci.lw.first(mlToolWords) == "" {
			continue
		}
		if ci.tech != nil && ci.tech.Role != "" && !mlRoles[ci.tech.Role] && !mlHostRoles[ci.tech.Role] {
			continue // a node agent, a CI runner's tools: not a model's
		}
		seen := map[*compInfo]bool{}
		var names []string
		add := func(d *compInfo) {
			if d != ci && !seen[d] {
				seen[d] = true
				names = append(names, d.label)
			}
		}
		for _, fi := range ci.in {
			if fi.src.drivesTools() {
				add(fi.src)
			}
		}
		for _, fi := range ci.out {
			if fi.f.Bidirectional && fi.dst.drivesTools() {
				add(fi.dst)
			}
		}
		if frame := ci.c.Boundary; frame != "" {
			for f, hops := frame, 0; f != "" && hops <= len(parent); f, hops = parent[f], hops+1 {
				for _, d := range byFrame[f] {
					add(d)
				}
			}
		}
		for _, d := range beside[ci.c.Boundary] {
			add(d)
		}
		ci.env.ModelDrivers = joinNames(names)
	}
}
