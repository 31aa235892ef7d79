package gitstore

import "os"

// writeTempFile writes a checked-out file's temporary file: fsynced, except
// during Clone's checkout into a folder of its own, which syncs the whole file
// system once at the end instead (syncFS): 42,000 fsyncs are most of a
// clone's time, and a clone that fails leaves nothing behind anyway.
func (s *Store) writeTempFile(tmp string, data []byte, mode os.FileMode) error {
	if !s.bulk {
		return writeTemp(tmp, data, mode)
	}
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(mode)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
