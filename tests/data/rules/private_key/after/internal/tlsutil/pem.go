package tlsutil

import (
	"encoding/pem"
	"errors"
	"strings"
)

const (
	pemPrivateKeyHeader = "-----BEGIN RSA PRIVATE KEY-----"
	pemCertHeader       = "-----BEGIN CERTIFICATE-----"
)

// IsPrivateKey reports whether data holds a PEM-encoded RSA private key.
func IsPrivateKey(data []byte) bool {
	return strings.HasPrefix(strings.TrimSpace(string(data)), pemPrivateKeyHeader)
}

// Decode returns the first PEM block of data.
func Decode(data []byte) (*pem.Block, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("tlsutil: no PEM block")
	}
	return block, nil
}
