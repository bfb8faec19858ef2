package pii

import "reflect"

// nodeKey identifies a node that a value may reach more than once: the
// target of a pointer, a map, or the backing array of a slice with its
// length. The type tells apart a struct and its first field, which share an
// address.
type nodeKey struct {
	p uintptr
	t reflect.Type
	n int
}

// nodeEntry is a node met, and whether its visit is still under way.
type nodeEntry struct {
	key  nodeKey
	open bool
}

// fewNodes is how many nodes are kept in place before a map is made, so
// that values with few pointers are walked without allocating.
const fewNodes = 8

// nodes records the nodes met in one walk or rendering, so that each is
// visited once: the work stays linear in the size of the value when
// pointers, slices or maps share nodes (a DAG), and a cycle ends where it
// closes.
type nodes struct {
	few  [fewNodes]nodeEntry
	nfew int
	many map[nodeKey]bool
}

// nodeOf returns the key of a pointer, map or slice value, and false for
// nil and empty ones and other kinds, which cannot be shared.
func nodeOf(v reflect.Value) (nodeKey, bool) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Map:
		if v.IsNil() || v.Kind() == reflect.Map && v.Len() == 0 {
			return nodeKey{}, false
		}
		return nodeKey{p: v.Pointer(), t: v.Type()}, true
	case reflect.Slice:
		if v.Len() == 0 {
			return nodeKey{}, false
		}
		return nodeKey{p: v.Pointer(), t: v.Type(), n: v.Len()}, true
	}
	return nodeKey{}, false
}

// enter records the visit of k. met says whether k was met before in this
// walk, and open whether that visit is still under way: k is then reached
// from inside itself, a cycle.
func (ns *nodes) enter(k nodeKey) (met, open bool) {
	if ns.many != nil {
		if open, met = ns.many[k]; met {
			return true, open
		}
		ns.many[k] = true
		return false, false
	}
	for i := 0; i < ns.nfew; i++ {
		if ns.few[i].key == k {
			return true, ns.few[i].open
		}
	}
	if ns.nfew < fewNodes {
		ns.few[ns.nfew] = nodeEntry{key: k, open: true}
		ns.nfew++
		return false, false
	}
	ns.many = make(map[nodeKey]bool, 4*fewNodes)
	for _, e := range ns.few[:ns.nfew] {
		ns.many[e.key] = e.open
	}
	ns.many[k] = true
	return false, false
}

// leave records that the visit of k is done.
func (ns *nodes) leave(k nodeKey) {
	if ns.many != nil {
		ns.many[k] = false
		return
	}
	for i := ns.nfew - 1; i >= 0; i-- {
		if ns.few[i].key == k {
			ns.few[i].open = false
			return
		}
	}
}
