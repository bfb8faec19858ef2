package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progress reports how far a pass over a known number of items is: a bar
// with an ETA redrawn in place on a terminal, plain lines otherwise.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	tty   bool
	label string
	total int
	done  int
	start time.Time
	// step is how many items pass between plain lines: about every tenth.
	step, next int
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func newProgress(w io.Writer, label string, total int) *progress {
	step := total / 10
	if step < 1 {
		step = 1
	}
	return &progress{w: w, tty: isTerminal(w), label: label, total: total, start: time.Now(), step: step, next: step}
}

// add counts n more items done.
func (p *progress) add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	if p.tty {
		p.draw()
		return
	}
	if p.done >= p.next || p.done >= p.total {
		fmt.Fprintf(p.w, "%s: %d/%d (%d%%)\n", p.label, p.done, p.total, p.percent())
		for p.next <= p.done {
			p.next += p.step
		}
	}
}

func (p *progress) percent() int {
	if p.total <= 0 {
		return 100
	}
	pc := p.done * 100 / p.total
	return min(pc, 100)
}

// draw redraws the bar on a terminal.
func (p *progress) draw() {
	const width = 30
	filled := p.percent() * width / 100
	eta := "--"
	if p.done > 0 && p.done < p.total {
		elapsed := time.Since(p.start)
		eta = (elapsed * time.Duration(p.total-p.done) / time.Duration(p.done)).Round(time.Second).String()
	} else if p.done >= p.total {
		eta = "0s"
	}
	fmt.Fprintf(p.w, "\r%s [%s%s] %3d%% %d/%d ETA %s ", p.label, strings.Repeat("#", filled), strings.Repeat(".", width-filled),
		p.percent(), p.done, p.total, eta)
}

// finish ends the bar's line on a terminal.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty {
		fmt.Fprintln(p.w)
	}
}
