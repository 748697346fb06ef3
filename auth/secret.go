package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// TokenPrefix starts every machine token, so that secret scanners and
// people recognise one.
const TokenPrefix = "sit_"

// newSecret returns 32 random bytes, base64url-encoded (256 bits: a
// token's SHA-256 is then as good as a slow hash, and the lookup by hash
// leaks nothing usable).
func newSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// digest is what the database keeps of a secret.
func digest(secret string) []byte {
	s := sha256.Sum256([]byte(secret))
	return s[:]
}
