package graph

// Limits bound what an importer accepts, so that hostile input fails fast
// with a clear error instead of exhausting memory or time. The zero value of
// a field means "use the default".
type Limits struct {
	// MaxInputBytes is the largest input file accepted.
	MaxInputBytes int64
	// MaxDecompressedBytes bounds what one input file inflates to, in all:
	// every compressed draw.io page and PNG chunk of the file together.
	MaxDecompressedBytes int64
	// MaxDepth bounds nesting: XML elements, boundaries, subgraphs.
	MaxDepth int
	// MaxLabelBytes truncates longer labels (with a warning).
	MaxLabelBytes int
	// MaxElements bounds the number of components plus flows (draw.io:
	// the cells of the whole file, counted before the XML tree is built).
	MaxElements int
}

// Default limits.
const (
	DefaultMaxInputBytes        = 64 << 20
	DefaultMaxDecompressedBytes = 64 << 20
	DefaultMaxDepth             = 200
	DefaultMaxLabelBytes        = 4096
	DefaultMaxElements          = 200000
)

// WithDefaults returns l with every zero field set to its default.
func (l Limits) WithDefaults() Limits {
	if l.MaxInputBytes <= 0 {
		l.MaxInputBytes = DefaultMaxInputBytes
	}
	if l.MaxDecompressedBytes <= 0 {
		l.MaxDecompressedBytes = DefaultMaxDecompressedBytes
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxLabelBytes <= 0 {
		l.MaxLabelBytes = DefaultMaxLabelBytes
	}
	if l.MaxElements <= 0 {
		l.MaxElements = DefaultMaxElements
	}
	return l
}
