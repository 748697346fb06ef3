// Package auth signs people and scripts in: local accounts with argon2id
// passwords, browser sessions (cookie + CSRF token), OpenID Connect login,
// machine tokens, login throttling and the audit log. Its tables live in
// the schema sit_auth, which the serving process writes as the role
// sit_web (README: Accounts, roles and comuni). Who may do what once
// signed in is the access package's rule, not this one's.
package auth
