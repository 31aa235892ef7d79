package sealed

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"filippo.io/age"
)

// ErrNotRecipient is wrapped by Open when this computer's key is not among
// the recipients of the ciphertext.
var ErrNotRecipient = errors.New("this computer's key is not among the recipients")

// ErrTampered is wrapped by Open when the ciphertext is not what a recipient
// wrote: changed, cut short, or not age at all.
var ErrTampered = errors.New("the ciphertext is damaged or was changed")

// Seal returns a writer that age-encrypts what is written to it into dst for
// the recipients (checked age1... keys); Close finishes the ciphertext.
func Seal(dst io.Writer, recipients []string) (io.WriteCloser, error) {
	rs, err := ageRecipients(recipients)
	if err != nil {
		return nil, err
	}
	return age.Encrypt(dst, rs...)
}

// SealBytes encrypts plaintext for the recipients.
func SealBytes(plaintext []byte, recipients []string) ([]byte, error) {
	var b bytes.Buffer
	w, err := Seal(&b, recipients)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(plaintext); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// Open decrypts src with this computer's identity. Reading the returned
// reader to its end authenticates every byte: a read error wraps ErrTampered.
func Open(src io.Reader, id *Identity) (io.Reader, error) {
	r, err := age.Decrypt(src, id.Age())
	var nm *age.NoIdentityMatchError
	switch {
	case errors.As(err, &nm):
		return nil, fmt.Errorf("%w (%s)", ErrNotRecipient, id.Public())
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrTampered, err)
	}
	return &openReader{r}, nil
}

// OpenBytes decrypts a whole ciphertext (at most max bytes of plaintext).
func OpenBytes(ciphertext []byte, id *Identity, max int64) ([]byte, error) {
	r, err := Open(bytes.NewReader(ciphertext), id)
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(out)) > max {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTampered, max)
	}
	return out, nil
}

// openReader marks age's read errors (a chunk that does not authenticate, a
// ciphertext cut short) as ErrTampered.
type openReader struct{ r io.Reader }

func (o *openReader) Read(p []byte) (int, error) {
	n, err := o.r.Read(p)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("%w: %v", ErrTampered, err)
	}
	return n, err
}
