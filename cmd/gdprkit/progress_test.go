package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestProgressPlainLines(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, "sweep: subjects", 1000)
	assert.False(t, p.tty, "a buffer is no terminal")
	for range 100 {
		p.add(10)
	}
	p.finish()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	assert.Len(t, lines, 10, "about one line per tenth")
	assert.Equal(t, "sweep: subjects: 100/1000 (10%)", lines[0])
	assert.Equal(t, "sweep: subjects: 1000/1000 (100%)", lines[len(lines)-1])
	assert.NotContains(t, buf.String(), "\r")
}

func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, "sweep", 4)
	p.tty = true
	p.add(1)
	assert.True(t, strings.HasPrefix(buf.String(), "\rsweep [#######......................."), "%q", buf.String())
	assert.Contains(t, buf.String(), " 25% 1/4 ETA ")
	buf.Reset()
	p.add(3)
	assert.Contains(t, buf.String(), "[##############################] 100% 4/4 ETA 0s")
	p.finish()
	assert.True(t, strings.HasSuffix(buf.String(), "\n"), "the bar's line ends")
}
