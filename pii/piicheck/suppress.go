package piicheck

import (
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// ignoreDirective starts a comment that silences the reports on its own
// line and on the line after it. A reason must follow.
const ignoreDirective = "//piicheck:ignore"

// suppressions holds, per file, the lines that carry an ignore directive
// with a reason.
type suppressions map[*token.File]map[int]bool

// collectSuppressions reads the ignore directives of the package's files and
// reports those without a reason, which silence nothing.
func collectSuppressions(pass *analysis.Pass) suppressions {
	s := suppressions{}
	for _, file := range pass.Files {
		tf := pass.Fset.File(file.Pos())
		for _, group := range file.Comments {
			for _, c := range group.List {
				rest, ok := strings.CutPrefix(c.Text, ignoreDirective)
				if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
					continue // not the directive ("//piicheck:ignored" is not)
				}
				if strings.TrimSpace(rest) == "" {
					pass.Report(analysis.Diagnostic{
						Pos: c.Pos(), End: c.End(), Category: "suppression",
						Message: "piicheck:ignore needs a reason: say why the value may be shown here, or why the field is not personal",
					})
					continue
				}
				if s[tf] == nil {
					s[tf] = map[int]bool{}
				}
				s[tf][tf.Line(c.Pos())] = true
			}
		}
	}
	return s
}

// covers reports whether a directive sits on the line of any of the
// positions or on the line before it.
func (s suppressions) covers(fset *token.FileSet, positions ...token.Pos) bool {
	for _, pos := range positions {
		tf := fset.File(pos)
		if tf == nil {
			continue
		}
		lines := s[tf]
		if line := tf.Line(pos); lines[line] || lines[line-1] {
			return true
		}
	}
	return false
}
