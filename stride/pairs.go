package stride

// Request and response drawn as two arrows between the same two components
// are one interaction: the response is not an entry point of its own and
// its transit threats are those of the request. The response is the arrow
// whose label says so ("response", "reply", "result", "ack") or the bare
// arrow back when the other is labelled. Two labelled arrows that are not
// a response ("charge" one way, "webhook" back) are two interactions.

var responseWords = kw("response*", "reply", "replies", "result*", "return*", "ack", "acks", "acknowledg*", "200 ok", "answer*")

// pairResponses marks each response flow with the request it answers.
func (a *analysis) pairResponses() {
	type ends struct{ src, dst *compInfo }
	byEnds := make(map[ends][]*flowInfo, len(a.flows))
	for _, fi := range a.flows {
		if fi.src != fi.dst && !fi.f.Bidirectional && !fi.f.Undirected {
			byEnds[ends{fi.src, fi.dst}] = append(byEnds[ends{fi.src, fi.dst}], fi)
		}
	}
	for _, fi := range a.flows {
		back := byEnds[ends{fi.dst, fi.src}]
		if len(back) != 1 || len(byEnds[ends{fi.src, fi.dst}]) != 1 || fi.respOf != nil || fi.reqOf != nil {
			continue
		}
		if req, resp, ok := orderPair(fi, back[0]); ok {
			resp.respOf, req.reqOf = req, resp
		}
	}
}

// orderPair returns the request and the response of two opposite flows,
// if one of them is a response.
func orderPair(x, y *flowInfo) (req, resp *flowInfo, ok bool) {
	xr := x.label == "" || newWords(x.f.Label).first(responseWords) != ""
	yr := y.label == "" || newWords(y.f.Label).first(responseWords) != ""
	switch {
	case xr && !yr:
		return y, x, true
	case yr && !xr:
		return x, y, true
	}
	return nil, nil, false
}
