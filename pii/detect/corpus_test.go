package detect

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"math/rand/v2"
	"net/netip"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A labelled document of the corpus: text and the spans it holds.
type doc struct {
	text  string
	spans []Finding // Type, Start, End
}

// gen builds the labelled corpus deterministically.
type gen struct {
	r *rand.Rand
}

func newGen(seed uint64) *gen { return &gen{r: rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))} }

func (g *gen) n(k int) int             { return g.r.IntN(k) }
func (g *gen) pick(xs []string) string { return xs[g.n(len(xs))] }

func (g *gen) digits(k int) string {
	b := make([]byte, k)
	for i := range b {
		b[i] = byte('0' + g.n(10))
	}
	return string(b)
}

// Frames put a value into running text of several languages and scripts.
var frames = [][2]string{
	{"Contact: ", "."},
	{"Bitte melden Sie sich unter ", " an."},
	{"Écrivez-nous : ", ", merci !"},
	{"Свяжитесь с нами: ", " — спасибо."},
	{"联系方式：", "。"},
	{"連絡先は", "です"},
	{"للتواصل: ", " شكرا"},
	{"📞 ", " 🙂"},
	{`level=info msg="user updated" value=`, " took=12ms"},
	{"", ""},
	{"(", ")"},
	{"Llame al ", ", por favor."},
	{"Zadzwoń pod ", " dziś."},
	{"Ο αριθμός είναι ", " ευχαριστώ"},
	{"<td>", "</td>"},
	{`{"value":"`, `"}`},
	{"'", "'"},
	{"[", "]"},
	{"\t", "\n"},
	{"Σημείωση: ", "; τέλος"},
	{"הטלפון: ", " תודה"},
	{"โทร ", " ครับ"},
}

// ---- positives ----

func luhnDigit(body string) byte {
	sum := 0
	for k := 0; k < len(body); k++ {
		v := int(body[len(body)-1-k] - '0')
		if k%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return byte('0' + (10-sum%10)%10)
}

func group(s string, sizes ...int) string {
	var parts []string
	for _, n := range sizes {
		parts = append(parts, s[:n])
		s = s[n:]
	}
	if s != "" {
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func (g *gen) card() string {
	type iss struct {
		prefix string
		length int
	}
	issuers := []iss{
		{"4", 16}, {"4", 13}, {"4", 19}, {"51", 16}, {"55", 16}, {"2221", 16}, {"2720", 16},
		{"34", 15}, {"37", 15}, {"6011", 16}, {"65", 16}, {"644", 16}, {"300", 14}, {"36", 14},
		{"3528", 16}, {"3589", 16}, {"62", 16}, {"62", 19}, {"6759", 16}, {"5018", 12}, {"6304", 19},
		{"2200", 16}, {"9792", 16},
	}
	is := issuers[g.n(len(issuers))]
	body := is.prefix + g.digits(is.length-len(is.prefix)-1)
	num := body + string(luhnDigit(body))
	switch g.n(3) {
	case 0:
		return num
	case 1, 2:
		var grouped string
		switch len(num) {
		case 15:
			grouped = group(num, 4, 6)
		case 14:
			grouped = group(num, 4, 6)
		case 12, 13:
			return num
		case 19:
			grouped = group(num, 4, 4, 4, 4)
		default:
			grouped = group(num, 4, 4, 4)
		}
		if g.n(2) == 0 {
			grouped = strings.ReplaceAll(grouped, " ", "-")
		}
		return grouped
	}
	return num
}

func ibanCheck(cc, bban string) string {
	var sb strings.Builder
	for _, c := range bban + cc + "00" {
		if c >= 'A' && c <= 'Z' {
			fmt.Fprintf(&sb, "%d", c-'A'+10)
		} else {
			sb.WriteRune(c)
		}
	}
	n, _ := new(big.Int).SetString(sb.String(), 10)
	r := new(big.Int).Mod(n, big.NewInt(97)).Int64()
	return fmt.Sprintf("%02d", 98-r)
}

func (g *gen) iban(countries []string, lengths map[string]int) string {
	cc := countries[g.n(len(countries))]
	n := lengths[cc] - 4
	bban := g.digits(n)
	if g.n(3) == 0 && n > 8 {
		letters := []byte(bban)
		for k := 0; k < 4; k++ {
			letters[k] = byte('A' + g.n(26))
		}
		bban = string(letters)
	}
	iban := cc + ibanCheck(cc, bban) + bban
	if g.n(2) == 0 {
		var parts []string
		for len(iban) > 4 {
			parts = append(parts, iban[:4])
			iban = iban[4:]
		}
		parts = append(parts, iban)
		return strings.Join(parts, " ")
	}
	return iban
}

func (g *gen) phone() string {
	d := g.digits
	sub7 := func() string { return string(rune('1'+g.n(9))) + d(6) }
	nxx := func() string { return string(rune('2'+g.n(8))) + d(2) }
	plMobile := []string{"50", "51", "53", "57", "60", "66", "69", "72", "73", "78", "79", "88"}
	plArea := []string{"12", "22", "32", "42", "58", "61", "71", "81", "91"}
	forms := []func() string{
		// DE
		func() string { return "0" + g.pick([]string{"30", "40", "89"}) + " " + sub7() },
		func() string { return "0" + g.pick([]string{"221", "711", "351"}) + "/" + sub7() },
		func() string { return "+49 " + g.pick([]string{"30", "89"}) + " " + sub7() },
		func() string { return "+49 (0)" + g.pick([]string{"30", "69"}) + " " + sub7() },
		func() string { return "0" + g.pick([]string{"151", "160", "176"}) + " " + d(8) },
		func() string { return "+49" + g.pick([]string{"151", "170"}) + d(8) },
		func() string { return "0049 30 " + sub7() },
		// FR
		func() string {
			return fmt.Sprintf("0%d %s %s %s %s", 1+g.n(7), d(2), d(2), d(2), d(2))
		},
		func() string {
			return fmt.Sprintf("0%d.%s.%s.%s.%s", 6+g.n(2), d(2), d(2), d(2), d(2))
		},
		func() string { return fmt.Sprintf("+33 %d %s %s %s %s", 1+g.n(7), d(2), d(2), d(2), d(2)) },
		func() string { return fmt.Sprintf("0%d%s", 1+g.n(7), d(8)) },
		// GB
		func() string { return "020 7946 " + d(4) },
		func() string { return "07700 900" + d(3) },
		func() string { return "+44 20 7946 " + d(4) },
		func() string { return "+44 (0)7700 900" + d(3) },
		func() string { return "0161 496 " + d(4) },
		// US
		func() string { return "(" + nxx() + ") " + nxx() + "-" + d(4) },
		func() string { return nxx() + "-" + nxx() + "-" + d(4) },
		func() string { return nxx() + "." + nxx() + "." + d(4) },
		func() string { return "+1 " + nxx() + " " + nxx() + " " + d(4) },
		func() string { return "1-" + nxx() + "-" + nxx() + "-" + d(4) },
		func() string { return "+1 (" + nxx() + ") " + nxx() + "-" + d(4) },
		// ES
		func() string { return "6" + d(2) + " " + d(2) + " " + d(2) + " " + d(2) },
		func() string { return "6" + d(2) + " " + d(3) + " " + d(3) },
		func() string { return "91 " + d(3) + " " + d(2) + " " + d(2) },
		func() string { return "+34 6" + d(2) + " " + d(3) + " " + d(3) },
		func() string { return "+34 9" + d(8) },
		// IT
		func() string { return "3" + d(2) + " " + d(3) + " " + d(4) },
		func() string { return "3" + d(2) + " " + d(7) },
		func() string { return "0" + string(rune('2'+g.n(5))) + " " + d(4) + " " + d(4) },
		func() string { return "+39 3" + d(2) + " " + d(3) + " " + d(4) },
		func() string { return "+39 06 " + d(4) + " " + d(4) },
		// NL
		func() string { return "06-" + string(rune('1'+g.n(9))) + d(7) },
		func() string { return "06 " + string(rune('1'+g.n(9))) + d(7) },
		func() string { return "020-" + d(3) + " " + d(4) },
		func() string { return "+31 6 " + string(rune('1'+g.n(9))) + d(7) },
		func() string { return "+31 20 " + d(3) + " " + d(4) },
		// PL
		func() string { return g.pick(plMobile) + d(1) + " " + d(3) + " " + d(3) },
		func() string { return g.pick(plArea) + " " + d(3) + " " + d(2) + " " + d(2) },
		func() string { return "+48 " + g.pick(plMobile) + d(1) + " " + d(3) + " " + d(3) },
		func() string { return "+48 " + g.pick(plArea) + " " + d(3) + " " + d(2) + " " + d(2) },
		// elsewhere, international form
		func() string { return "+7 495 " + d(3) + "-" + d(2) + "-" + d(2) },
		func() string { return "+81 3-" + d(4) + "-" + d(4) },
		func() string { return "+61 4" + d(2) + " " + d(3) + " " + d(3) },
		func() string { return "+91 98" + d(3) + " " + d(5) },
		func() string { return "+43 1 " + d(7) },
	}
	return forms[g.n(len(forms))]()
}

func (g *gen) ipv4() string {
	return fmt.Sprintf("%d.%d.%d.%d", 1+g.n(254), g.n(256), g.n(256), 1+g.n(254))
}

func (g *gen) ipv6() string {
	for {
		var b [16]byte
		for k := range b {
			b[k] = byte(g.n(256))
		}
		// zero a run of groups so that "::" appears
		if g.n(2) == 0 {
			st := 2 * g.n(6)
			for k := st; k < st+4+2*g.n(3) && k < 16; k++ {
				b[k] = 0
			}
		}
		a := netip.AddrFrom16(b)
		var s string
		switch g.n(6) {
		case 0:
			s = a.StringExpanded()
		case 1:
			s = strings.ToUpper(a.String())
		case 2:
			s = "::ffff:" + g.ipv4()
		case 3:
			s = fmt.Sprintf("fe80::%x:%x", g.n(65536), g.n(65536))
		case 4:
			s = fmt.Sprintf("2001:db8::%x", 1+g.n(65535))
		default:
			s = a.String()
		}
		if strings.ContainsAny(s, "0123456789") && s != "::" {
			return s
		}
	}
}

func (g *gen) mac() string {
	var b [6]byte
	for k := range b {
		b[k] = byte(g.n(256))
	}
	b[0] |= 2 // never all-zero
	h := hex.EncodeToString(b[:])
	switch g.n(4) {
	case 0:
		return fmt.Sprintf("%s:%s:%s:%s:%s:%s", h[0:2], h[2:4], h[4:6], h[6:8], h[8:10], h[10:12])
	case 1:
		return strings.ToUpper(fmt.Sprintf("%s-%s-%s-%s-%s-%s", h[0:2], h[2:4], h[4:6], h[6:8], h[8:10], h[10:12]))
	case 2:
		return strings.ToUpper(fmt.Sprintf("%s:%s:%s:%s:%s:%s", h[0:2], h[2:4], h[4:6], h[6:8], h[8:10], h[10:12]))
	}
	return h[0:4] + "." + h[4:8] + "." + h[8:12]
}

func (g *gen) email() string {
	locals := []string{"john.doe", "anna_mueller", "m.rossi+news", "jp", "x9", "first.last-2", "info", "k.nowak", "Maria.Garcia"}
	domains := []string{"example.com", "mail.example.co.uk", "beispiel.de", "univ-paris.fr", "xn--bcher-kva.de", "sub.domain.example.org", "poczta.pl", "correo.es"}
	l := g.pick(locals)
	if g.n(2) == 0 {
		l += g.digits(1 + g.n(3))
	}
	return l + "@" + g.pick(domains)
}

// ---- negatives: look-alikes that are not personal data ----

func (g *gen) uuid() string {
	b := make([]byte, 16)
	for k := range b {
		b[k] = byte(g.n(256))
	}
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func (g *gen) hash() string {
	seed := []byte(g.digits(12))
	if g.n(2) == 0 {
		s := sha1.Sum(seed)
		return hex.EncodeToString(s[:])
	}
	s := sha256.Sum256(seed)
	return hex.EncodeToString(s[:])
}

func (g *gen) timestamp() string {
	y, mo, da, h, mi, se := 2000+g.n(30), 1+g.n(12), 1+g.n(28), g.n(24), g.n(60), g.n(60)
	switch g.n(9) {
	case 0:
		return fmt.Sprintf("%04d-%02d-%02d", y, mo, da)
	case 1:
		return fmt.Sprintf("%04d%02d%02d%02d%02d%02d", y, mo, da, h, mi, se)
	case 2:
		return fmt.Sprintf("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", y, mo, da, h, mi, se, g.n(1000))
	case 3:
		return fmt.Sprintf("%02d.%02d.%04d", da, mo, y)
	case 4:
		return fmt.Sprintf("%02d/%02d/%04d", mo, da, y)
	case 5:
		return fmt.Sprintf("%02d-%02d-%04d", mo, da, y)
	case 6:
		return fmt.Sprintf("1%09d", g.n(1e9))
	case 7:
		return fmt.Sprintf("17%011d", g.n(1e11))
	}
	return fmt.Sprintf("%04d-%02d-%02d %02d:%02d:%02d +0%d00", y, mo, da, h, mi, se, g.n(3))
}

func (g *gen) orderNumber() string {
	switch g.n(6) {
	case 0:
		return fmt.Sprintf("ORD-%06d", g.n(1e6))
	case 1:
		return fmt.Sprintf("#%d", g.n(1e9))
	case 2:
		return fmt.Sprintf("INV/%d/%05d", 2000+g.n(30), g.n(1e5))
	case 3:
		return fmt.Sprintf("PO-%d-%04d", 2000+g.n(30), g.n(1e4))
	case 4:
		return fmt.Sprintf("order %d", 10000+g.n(9e6))
	}
	return fmt.Sprintf("A%d-%d", g.n(1e5), g.n(1e5))
}

func (g *gen) price() string {
	switch g.n(6) {
	case 0:
		return fmt.Sprintf("%d,%03d.%02d €", 1+g.n(999), g.n(1000), g.n(100))
	case 1:
		return fmt.Sprintf("€%d.%02d", g.n(100000), g.n(100))
	case 2:
		return fmt.Sprintf("%d %03d,%02d zł", 1+g.n(999), g.n(1000), g.n(100))
	case 3:
		return fmt.Sprintf("$%d,%03d,%03d.%02d", 1+g.n(999), g.n(1000), g.n(1000), g.n(100))
	case 4:
		return fmt.Sprintf("%d %03d %03d €", 1+g.n(999), g.n(1000), g.n(1000))
	}
	return fmt.Sprintf("%d.%03d,%02d EUR", 1+g.n(999), g.n(1000), g.n(100))
}

func (g *gen) version() string {
	switch g.n(4) {
	case 0:
		return fmt.Sprintf("v%d.%d.%d", g.n(20), g.n(50), g.n(100))
	case 1:
		return fmt.Sprintf("version %d.%d.%d", g.n(20), g.n(50), g.n(100))
	case 2:
		return fmt.Sprintf("v%d.%d.%d.%d", g.n(20), g.n(50), g.n(100), g.n(1000))
	}
	return fmt.Sprintf("%d.%d.%d-rc%d", g.n(20), g.n(50), g.n(100), g.n(5))
}

// nearMiss returns a value that is one check away from a valid one.
func (g *gen) nearMiss(countries []string, lengths map[string]int) string {
	switch g.n(7) {
	case 0: // card with a wrong Luhn digit
		body := "4" + g.digits(14)
		d := luhnDigit(body)
		return body + string('0'+(d-'0'+1+byte(g.n(9)))%10)
	case 1: // IBAN with wrong check digits
		iban := strings.ReplaceAll(g.iban(countries, lengths), " ", "")
		cd := (int(iban[2]-'0')*10+int(iban[3]-'0')+1+g.n(90))%97 + 2
		if cd > 98 {
			cd = 2
		}
		if fmt.Sprintf("%02d", cd) == iban[2:4] {
			cd = cd%97 + 2
		}
		return iban[:2] + fmt.Sprintf("%02d", cd) + iban[4:]
	case 2:
		return fmt.Sprintf("%d.%d.%d.%d", 256+g.n(700), g.n(256), g.n(256), g.n(256))
	case 3:
		return fmt.Sprintf("%d.%d.%d", 1+g.n(254), g.n(256), g.n(256))
	case 4:
		return fmt.Sprintf("%02x:%02x:%02x:%02x:%02x", 1+g.n(255), g.n(256), g.n(256), g.n(256), g.n(256))
	case 5:
		return "030 " + g.digits(3)
	}
	return g.pick([]string{"root@localhost", "lodash@4.17.21", "a@b", "user@.com", "@handle"})
}

type piece struct {
	value string
	typ   Type // 0: negative
}

func (g *gen) pieces(nPos, nNeg int) []piece {
	lengths := IBANCountries()
	var countries []string
	for c := range lengths {
		countries = append(countries, c)
	}
	sort.Strings(countries)
	var out []piece
	makers := []struct {
		t Type
		f func() string
	}{
		{Email, g.email}, {Phone, g.phone}, {IPv4, g.ipv4}, {IPv6, g.ipv6},
		{Card, g.card}, {IBAN, func() string { return g.iban(countries, lengths) }}, {MAC, g.mac},
	}
	for _, m := range makers {
		for k := 0; k < nPos; k++ {
			out = append(out, piece{m.f(), m.t})
		}
	}
	negs := []func() string{
		g.uuid, g.hash, g.timestamp, g.orderNumber, g.price, g.version,
		func() string { return g.nearMiss(countries, lengths) },
	}
	for k := 0; k < nNeg; k++ {
		out = append(out, piece{negs[k%len(negs)](), 0})
	}
	g.r.Shuffle(len(out), func(a, b int) { out[a], out[b] = out[b], out[a] })
	return out
}

// corpus frames the pieces in text and joins one to three of them per
// document.
func (g *gen) corpus(ps []piece) []doc {
	var docs []doc
	for len(ps) > 0 {
		k := min(1+g.n(3), len(ps))
		var d doc
		for j, p := range ps[:k] {
			if j > 0 {
				d.text += " | "
			}
			f := frames[g.n(len(frames))]
			d.text += f[0]
			if p.typ != 0 {
				d.spans = append(d.spans, Finding{Type: p.typ, Start: len(d.text), End: len(d.text) + len(p.value)})
			}
			d.text += p.value + f[1]
		}
		docs = append(docs, d)
		ps = ps[k:]
	}
	return docs
}

func TestCorpusPrecisionRecall(t *testing.T) {
	g := newGen(1)
	docs := g.corpus(g.pieces(120, 600))
	var tp, fp, fn [maxType + 1]int
	labels := 0
	for _, d := range docs {
		got := Find(d.text)
		type key struct {
			t    Type
			s, e int
		}
		want := map[key]bool{}
		for _, s := range d.spans {
			want[key{s.Type, s.Start, s.End}] = true
			labels++
		}
		for _, f := range got {
			k := key{f.Type, f.Start, f.End}
			if want[k] {
				tp[f.Type]++
				delete(want, k)
			} else {
				fp[f.Type]++
				t.Logf("false positive %v in %q", f, d.text)
			}
		}
		for k := range want {
			fn[k.t]++
			t.Logf("missed %s %q in %q", k.t, d.text[k.s:k.e], d.text)
		}
	}
	t.Logf("corpus: %d documents, %d labelled values", len(docs), labels)
	t.Logf("%-6s %5s %4s %4s %9s %7s", "type", "TP", "FP", "FN", "precision", "recall")
	for _, ty := range Types() {
		p := float64(tp[ty]) / float64(max(tp[ty]+fp[ty], 1))
		r := float64(tp[ty]) / float64(max(tp[ty]+fn[ty], 1))
		t.Logf("%-6s %5d %4d %4d %9.3f %7.3f", ty, tp[ty], fp[ty], fn[ty], p, r)
		assert.GreaterOrEqual(t, p, 0.98, "precision of %s", ty)
		assert.GreaterOrEqual(t, r, 0.97, "recall of %s", ty)
	}
	require.GreaterOrEqual(t, labels, 700)
}

func TestNoFalsePositives(t *testing.T) {
	g := newGen(2)
	lengths := IBANCountries()
	_ = lengths
	makers := map[string]func() string{
		"uuid": g.uuid, "hash": g.hash, "timestamp": g.timestamp,
		"order": g.orderNumber, "price": g.price, "version": g.version,
	}
	names := []string{"uuid", "hash", "timestamp", "order", "price", "version"}
	total := 0
	for _, name := range names {
		for k := 0; k < 300; k++ {
			f := frames[g.n(len(frames))]
			text := f[0] + makers[name]() + f[1]
			total++
			assert.Empty(t, Find(text), "%s: %q", name, text)
		}
	}
	t.Logf("%d look-alikes, no finding", total)
}

// TestMixedLog checks the benchmark input: every finding is one of the
// values planted after a key, and every planted value is found.
func TestMixedLog(t *testing.T) {
	text := string(mixedLog(256 << 10))
	keys := map[string]Type{"email=": Email, "phone=": Phone, "client_ip=": IPv4, "addr=": IPv6, "card=": Card, "iban=": IBAN, "mac=": MAC}
	planted := 0
	for line := range strings.Lines(text) {
		for k := range keys {
			if strings.Contains(line, " "+k) {
				planted++
			}
		}
	}
	fs := Find(text)
	for _, f := range fs {
		ok := false
		for k, ty := range keys {
			if f.Type == ty && strings.HasSuffix(text[:f.Start], " "+k) {
				ok = true
			}
		}
		assert.True(t, ok, "unexpected finding %v", f)
	}
	assert.Equal(t, planted, len(fs))
	t.Logf("%d bytes, %d planted values, %d findings", len(text), planted, len(fs))
}
