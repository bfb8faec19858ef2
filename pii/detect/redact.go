package detect

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Style says how a TextRedactor rewrites one finding.
type Style uint8

// Redaction styles.
const (
	// StyleFull replaces the finding with a placeholder, "[email]" by default.
	StyleFull Style = iota
	// StyleMask keeps the shape and replaces every letter and digit with the mask rune:
	// "+49 30 1234567" becomes "+** ** *******".
	StyleMask
	// StyleMaskFirst is StyleMask keeping the first letter or digit: "j***@*******.***".
	StyleMaskFirst
	// StyleLast4 is StyleMask keeping the last four letters or digits: "**** **** **** 1111".
	StyleLast4
	// StyleDrop removes the finding.
	StyleDrop
	// StyleHash replaces the finding with what the hash function returns for it
	// (see TextRedactorConfig.Hash); without one it behaves like StyleFull.
	StyleHash
	// StyleKeep leaves the finding as it is.
	StyleKeep
)

var styleNames = [...]string{"full", "mask", "mask-first", "last4", "drop", "hash", "keep"}

// String returns the name of the style, such as "mask" or "last4".
func (s Style) String() string {
	if int(s) < len(styleNames) {
		return styleNames[s]
	}
	return "Style(" + strconv.Itoa(int(s)) + ")"
}

// TextRedactor rewrites text so that the personal data in it is replaced,
// with a Style chosen per Type. It is safe for concurrent use once built.
//
// *TextRedactor has the method RedactString(string) string, which is what log
// handlers that redact attribute values accept.
type TextRedactor struct {
	det         *Detector
	styles      [maxType + 1]Style
	placeholder [maxType + 1]string
	mask        rune
	hash        func(Type, string) string
}

// TextRedactorConfig configures a TextRedactor. The zero value looks for every
// type and replaces each finding with a "[type]" placeholder.
type TextRedactorConfig struct {
	// Detector limits what is looked for; nil looks for every type.
	Detector *Detector
	// Default is the style of types that Styles does not name.
	Default Style
	// Styles sets the style per type.
	Styles map[Type]Style
	// Placeholders sets the text StyleFull writes per type ("[email]" by default).
	Placeholders map[Type]string
	// Mask is the rune the mask styles write, '*' by default.
	Mask rune
	// Hash is what StyleHash uses: it gets the type and the matched text and
	// returns the replacement, for example a keyed token (pii.Tokenizer).
	// Without it StyleHash behaves like StyleFull.
	Hash func(Type, string) string
}

// NewTextRedactor returns a TextRedactor configured by cfg.
func NewTextRedactor(cfg TextRedactorConfig) *TextRedactor {
	r := &TextRedactor{det: cfg.Detector, mask: cfg.Mask, hash: cfg.Hash}
	if r.det == nil {
		r.det = defaultDetector
	}
	if r.mask == 0 {
		r.mask = '*'
	}
	for t := Email; t <= maxType; t++ {
		r.placeholder[t] = "[" + t.String() + "]"
		if p, ok := cfg.Placeholders[t]; ok {
			r.placeholder[t] = p
		}
		r.styles[t] = cfg.Default
		if s, ok := cfg.Styles[t]; ok {
			r.styles[t] = s
		}
	}
	return r
}

// Redact returns s with every finding rewritten in the style of its
// type. When s holds nothing to redact it returns s itself and allocates
// nothing.
func (r *TextRedactor) Redact(s string) string {
	f, ok, _ := r.det.scan(s, 0, len(s), 0)
	if !ok {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	last := 0
	for ok {
		b.WriteString(s[last:f.Start])
		r.write(&b, f)
		last = f.End
		f, ok, _ = r.det.scan(s, last, len(s), last)
	}
	b.WriteString(s[last:])
	return b.String()
}

// RedactString is Redact under the name log handlers look for.
func (r *TextRedactor) RedactString(s string) string { return r.Redact(s) }

// Style returns the style r uses for t.
func (r *TextRedactor) Style(t Type) Style {
	if t >= Email && t <= maxType {
		return r.styles[t]
	}
	return StyleKeep
}

// write appends the replacement for f to b.
func (r *TextRedactor) write(b *strings.Builder, f Finding) {
	switch r.styles[f.Type] {
	case StyleFull:
		r.writePlaceholder(b, f.Type)
	case StyleMask:
		r.writeMask(b, f.Text, -1, 0)
	case StyleMaskFirst:
		r.writeMask(b, f.Text, 1, 0)
	case StyleLast4:
		r.writeMask(b, f.Text, 0, 4)
	case StyleDrop:
	case StyleHash:
		if r.hash != nil {
			b.WriteString(r.hash(f.Type, f.Text))
		} else {
			r.writePlaceholder(b, f.Type)
		}
	default:
		b.WriteString(f.Text)
	}
}

func (r *TextRedactor) writePlaceholder(b *strings.Builder, t Type) {
	if p := r.placeholder[t]; p != "" {
		b.WriteString(p)
		return
	}
	b.WriteByte('[')
	b.WriteString(t.String())
	b.WriteByte(']')
}

// writeMask writes text with its letters and digits masked, except the
// first `head` and the last `tail` of them. Findings are ASCII, so the
// text is masked byte by byte; other characters keep the shape.
func (r *TextRedactor) writeMask(b *strings.Builder, text string, head, tail int) {
	total := 0
	for i := 0; i < len(text); i++ {
		if classes[text[i]]&(cDigit|cUpper|cLower) != 0 {
			total++
		}
	}
	seen := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if classes[c]&(cDigit|cUpper|cLower) == 0 {
			b.WriteByte(c)
			continue
		}
		seen++
		if seen <= head || seen > total-tail {
			b.WriteByte(c)
		} else if r.mask == 0 {
			b.WriteByte('*')
		} else if r.mask < utf8.RuneSelf {
			b.WriteByte(byte(r.mask))
		} else {
			b.WriteRune(r.mask)
		}
	}
}
