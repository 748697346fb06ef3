package main

import (
	"context"
	"os/user"

	"github.com/sit-gis/sit/access"
)

// operatorView is the view of the command line: whoever holds the owner's
// credentials administers every comune. It is set by each command that
// reads the catalog, never on the root context, which `sit serve` hands
// to its requests.
func operatorView(ctx context.Context) context.Context {
	return access.WithView(ctx, access.View{Principal: access.Operator(osUserName()), Comune: access.AllComuni})
}

// osUserName names the operator in the audit log.
func osUserName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}
