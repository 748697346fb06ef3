package cql2

var arithOps = map[string]bool{"+": true, "-": true, "*": true, "/": true, "%": true, "div": true, "^": true}

// arith computes in double precision (no integer overflow); a division by
// zero is NULL. A result out of the range of a double is an error of class
// 22 in PostgreSQL, which the service answers with a 400.
func (t *translator) arith(o Op) (expr, error) {
	es, err := t.operands(o, 2)
	if err != nil {
		return expr{}, err
	}
	var parts [2]string
	for i, e := range es {
		if !e.t.numeric() {
			return expr{}, fail("%s needs numbers, argument %d is %s", o.Name, i+1, typeOrLit(e))
		}
		if parts[i], err = t.emit(e, e.t); err != nil {
			return expr{}, err
		}
	}
	l, r := parts[0], parts[1]
	switch o.Name {
	case "+", "-", "*":
		return expr{sql: "(" + l + "::float8 " + o.Name + " " + r + "::float8)", t: TypeDouble}, nil
	case "/":
		return expr{sql: "(" + l + "::float8 / NULLIF(" + r + "::float8, 0))", t: TypeDouble}, nil
	case "%":
		return expr{sql: "mod(" + l + "::numeric, NULLIF(" + r + "::numeric, 0))::float8", t: TypeDouble}, nil
	case "div":
		return expr{sql: "div(" + l + "::numeric, NULLIF(" + r + "::numeric, 0))::float8", t: TypeDouble}, nil
	default: // ^
		return expr{sql: "power(" + l + "::float8, " + r + "::float8)", t: TypeDouble}, nil
	}
}
