package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sit-gis/sit/access"
	"github.com/sit-gis/sit/admin"
	"github.com/sit-gis/sit/auth"
	"github.com/sit-gis/sit/internal/config"
	"github.com/sit-gis/sit/internal/pg"
	"github.com/sit-gis/sit/layers"
	"github.com/sit-gis/sit/tiles"
)

// accessParts are the server's accounts side: the web role's pool (sign
// in, sessions, tokens, audit), the owner's only with --allow-uploads,
// and the admin API over them.
type accessParts struct {
	web       *auth.Web
	admin     *admin.Service
	tileCache *tiles.Cache
	pools     []*pgxpool.Pool
	webPool   *pgxpool.Pool // the web role's (nil: none)
}

func (p accessParts) close() {
	if p.admin != nil {
		p.admin.Close()
	}
	for _, pool := range p.pools {
		pool.Close()
	}
}

// openAccess opens what accounts need. Without a web role (a database
// whose DBA made none, no --web-url) the server runs without accounts:
// every request is anonymous and /admin/… answers 401.
func (a *app) openAccess(ctx context.Context, tgt pg.Target, s config.Server, reader *pgxpool.Pool, cat *layers.Catalog) (accessParts, error) {
	parts := accessParts{tileCache: tiles.NewCache(s.TileCacheBytes)}
	if tgt.WebURL == "" {
		a.log.Warn("no web role (--web-url, env SIT_WEB_URL): accounts, sign-in and the admin API are off")
		parts.web = auth.NewWeb(nil, auth.WebOptions{Secure: s.Secure(), Log: a.log})
		return parts, nil
	}
	web, err := pg.Open(ctx, tgt.WebURL, pg.PoolOptions{StatementTimeout: s.StatementTimeout, MaxConns: 8, AppName: "sit serve (accounts)"})
	if err != nil {
		return parts, fmt.Errorf("web role: %w", err)
	}
	parts.pools = append(parts.pools, web)
	parts.webPool = web
	rep, err := pg.CheckWeb(ctx, web)
	if err == nil {
		err = rep.Err()
	}
	if err != nil {
		parts.close()
		return parts, err
	}
	store := auth.NewStore(web, auth.Options{SessionTTL: s.SessionTTL, SessionIdle: s.SessionIdle})
	oidc, err := newOIDC(s, store)
	if err != nil {
		parts.close()
		return parts, err
	}
	parts.web = auth.NewWeb(store, auth.WebOptions{Secure: s.Secure(), OIDC: oidc, Log: a.log})
	opt := admin.Options{Auth: store, DB: web, Catalog: cat, History: layers.NewStore(reader, a.log), MaxUploadBytes: s.MaxUploadBytes,
		UploadDir: s.UploadDir, PurgeTiles: parts.tileCache.Purge, Log: a.log}
	if s.AllowUploads {
		owner, err := pg.Open(ctx, tgt.OwnerURL, pg.PoolOptions{MaxConns: 4, AppName: "sit serve (uploads)"})
		if err != nil {
			parts.close()
			return parts, fmt.Errorf("--allow-uploads: %w", err)
		}
		parts.pools = append(parts.pools, owner)
		opt.Layers = layers.NewStore(owner, a.log)
		if opt.UploadDir, err = uploadDir(s.UploadDir); err != nil {
			parts.close()
			return parts, err
		}
		a.log.Info("uploads on: the server holds the owner's credentials", "upload_dir", opt.UploadDir)
	}
	parts.admin = admin.New(opt)
	return parts, nil
}

// uploadDir makes the directory uploads wait in, and empties it of the
// uploads of a server that stopped (their imports never committed).
func uploadDir(dir string) (string, error) {
	if dir == "" {
		dir = filepath.Join(os.TempDir(), fmt.Sprintf("sit-uploads-%d", os.Getuid()))
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("--upload-dir: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("--upload-dir: %w", err)
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > time.Hour {
			_ = os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
	return dir, nil
}

// newOIDC configures the identity provider, if any.
func newOIDC(s config.Server, store *auth.Store) (*auth.OIDC, error) {
	c := s.Accounts
	if c.OIDCIssuer == "" {
		return nil, nil
	}
	cfg := auth.OIDCConfig{Issuer: c.OIDCIssuer, ClientID: c.OIDCClientID, ClientSecret: c.OIDCClientSecret, RedirectURL: c.OIDCRedirectURL,
		Scopes: c.OIDCScopes, RoleClaim: c.OIDCRoleClaim, UsernameClaim: c.OIDCUsernameClaim, DefaultRole: access.Role(c.OIDCDefaultRole)}
	if cfg.RedirectURL == "" {
		if s.PublicURL == "" {
			return nil, fmt.Errorf("--oidc-issuer needs --public-url (or --oidc-redirect-url) to tell the provider where to send users back")
		}
		cfg.RedirectURL = strings.TrimRight(s.PublicURL, "/") + "/auth/oidc/callback"
	}
	for _, m := range c.OIDCMap {
		cm, err := auth.ParseClaimMap(m)
		if err != nil {
			return nil, fmt.Errorf("--oidc-map: %w", err)
		}
		cfg.Map = append(cfg.Map, cm)
	}
	return auth.NewOIDC(cfg, store)
}
