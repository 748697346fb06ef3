package cql2

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind int

const (
	tEOF    tokKind = iota
	tIdent          // name or keyword
	tQuoted         // "quoted identifier"
	tString         // 'character literal'
	tNumber
	tOp // = <> < > <= >= + - * / % ^
	tLParen
	tRParen
	tComma
)

type token struct {
	kind tokKind
	text string // identifier, literal value or operator
	pos  int
}

func (k tokKind) String() string {
	switch k {
	case tEOF:
		return "end of filter"
	case tIdent:
		return "name"
	case tQuoted:
		return "quoted name"
	case tString:
		return "string"
	case tNumber:
		return "number"
	case tOp:
		return "operator"
	case tLParen:
		return "'('"
	case tRParen:
		return "')'"
	case tComma:
		return "','"
	}
	return "token"
}

func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "the end of the filter"
	case tString:
		return "'" + clip(t.text) + "'"
	case tQuoted:
		return `"` + clip(t.text) + `"`
	}
	return "'" + clip(t.text) + "'"
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// lex splits the whole filter into tokens up front: filters are short
// (bounded by Limits.MaxLength) and a slice makes look-ahead trivial.
func lex(src string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			toks = append(toks, token{tLParen, "(", i})
			i++
		case c == ')':
			toks = append(toks, token{tRParen, ")", i})
			i++
		case c == ',':
			toks = append(toks, token{tComma, ",", i})
			i++
		case c == '\'':
			s, n, err := lexString(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{tString, s, i})
			i = n
		case c == '"':
			j := strings.IndexByte(src[i+1:], '"')
			if j < 0 {
				return nil, errAt(i, "unterminated quoted name")
			}
			name := src[i+1 : i+1+j]
			if name == "" {
				return nil, errAt(i, "empty quoted name")
			}
			toks = append(toks, token{tQuoted, name, i})
			i += j + 2
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			n := lexNumber(src, i)
			toks = append(toks, token{tNumber, src[i:n], i})
			i = n
		case strings.IndexByte("<>!=+-*/%^", c) >= 0:
			op := lexOp(src, i)
			if op == "" {
				return nil, errAt(i, "unexpected character %q", c)
			}
			toks = append(toks, token{tOp, op, i})
			i += len(op)
		default:
			j, err := lexIdent(src, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{tIdent, src[i:j], i})
			i = j
		}
	}
	toks = append(toks, token{tEOF, "", len(src)})
	return toks, nil
}

// lexOp reads an operator; "" when the character starts none.
func lexOp(src string, i int) string {
	two := ""
	if i+1 < len(src) {
		two = src[i : i+2]
	}
	switch {
	case two == "<>" || two == "<=" || two == ">=":
		return two
	case two == "!=":
		return "<>" // not CQL2, but common enough to accept as <>
	case src[i] == '!':
		return ""
	}
	return src[i : i+1]
}

// lexIdent reads a name or keyword and returns where it ends.
func lexIdent(src string, i int) (int, error) {
	r, size := utf8.DecodeRuneInString(src[i:])
	if r == utf8.RuneError && size <= 1 {
		return 0, errAt(i, "the filter is not valid UTF-8")
	}
	if !identStart(r) {
		return 0, errAt(i, "unexpected character %q", r)
	}
	j := i + size
	for j < len(src) {
		r, size := utf8.DecodeRuneInString(src[j:])
		if !identPart(r) {
			break
		}
		j += size
	}
	return j, nil
}

func identStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }
func identPart(r rune) bool {
	return r == '_' || r == '.' || r == ':' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// lexString reads a '…' literal. A quote inside is written as two quotes or
// as \' (the two escapes of the CQL2 grammar); any other character stands
// for itself.
func lexString(src string, i int) (string, int, error) {
	var b strings.Builder
	j := i + 1
	for {
		k := strings.IndexAny(src[j:], `'\`)
		if k < 0 {
			return "", 0, errAt(i, "unterminated string (a quote inside a string is written '')")
		}
		b.WriteString(src[j : j+k])
		j += k
		switch {
		case src[j] == '\\' && j+1 < len(src) && src[j+1] == '\'':
			b.WriteByte('\'')
			j += 2
		case src[j] == '\\':
			b.WriteByte('\\')
			j++
		case j+1 < len(src) && src[j+1] == '\'':
			b.WriteByte('\'')
			j += 2
		default:
			return b.String(), j + 1, nil
		}
	}
}

func lexNumber(src string, i int) int {
	j := i
	digits := func() {
		for j < len(src) && src[j] >= '0' && src[j] <= '9' {
			j++
		}
	}
	digits()
	if j < len(src) && src[j] == '.' {
		j++
		digits()
	}
	if j < len(src) && (src[j] == 'e' || src[j] == 'E') {
		k := j + 1
		if k < len(src) && (src[k] == '+' || src[k] == '-') {
			k++
		}
		if k < len(src) && src[k] >= '0' && src[k] <= '9' {
			j = k
			digits()
		}
	}
	return j
}
