package pgcluster

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// osUser is the unprivileged account the server runs as when SIT runs as root.
type osUser struct {
	name     string
	uid, gid uint32
}

func lookupUser(name string) (*osUser, error) {
	u, err := user.Lookup(name)
	if err != nil {
		return nil, err
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, err
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, err
	}
	return &osUser{name: name, uid: uint32(uid), gid: uint32(gid)}, nil
}

// apply makes cmd run as the user; a nil user means "as myself".
func (u *osUser) apply(cmd *exec.Cmd) {
	if u == nil {
		return
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: u.uid, Gid: u.gid}}
	cmd.Env = append(os.Environ(), "HOME=/tmp", "USER="+u.name, "LOGNAME="+u.name)
	cmd.Dir = "/"
}

// chown hands a file or directory tree to the user.
func (u *osUser) chown(path string) error {
	if u == nil {
		return nil
	}
	return filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := os.Lchown(p, int(u.uid), int(u.gid)); err != nil {
			return fmt.Errorf("chown %s to %s: %w", p, u.name, err)
		}
		return nil
	})
}

// canReach reports whether the user can traverse every directory up to dir
// (the "x" bit for others, or for its group/owner when they match). A data
// directory under /root, for instance, is out of reach of "postgres".
func (u *osUser) canReach(dir string) bool {
	if u == nil {
		return true
	}
	for d := dir; ; d = filepath.Dir(d) {
		st, err := os.Stat(d)
		if err != nil {
			// Not created yet: its parent decides.
			if filepath.Dir(d) == d {
				return true
			}
			continue
		}
		sys, ok := st.Sys().(*syscall.Stat_t)
		mode := st.Mode().Perm()
		switch {
		case ok && sys.Uid == u.uid:
			if mode&0o100 == 0 {
				return false
			}
		case ok && sys.Gid == u.gid:
			if mode&0o010 == 0 {
				return false
			}
		default:
			if mode&0o001 == 0 {
				return false
			}
		}
		if filepath.Dir(d) == d {
			return true
		}
	}
}
