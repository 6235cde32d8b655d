"""TLS with Python's ssl module: the server context for `tls-port`, and
the client context a replica uses towards a TLS master (`tls-replication`).

Directives map onto ssl as Redis maps them onto OpenSSL: the certificate and
key (with `tls-key-file-pass`), the CA file or directory that verifies peers,
`tls-auth-clients` (yes: a client certificate is required, optional: checked
when given, no: not asked for), `tls-protocols` (the versions allowed),
`tls-ciphers` (TLS 1.2 and below), `tls-prefer-server-ciphers`,
`tls-dh-params-file`, and `tls-session-caching` (off: no session tickets).
Python's ssl has no call for TLS 1.3 cipher suites, so `tls-ciphersuites`
is refused rather than silently ignored.
"""
import ssl

PROTOCOLS = {"tlsv1": ssl.TLSVersion.TLSv1, "tlsv1.1": ssl.TLSVersion.TLSv1_1,
             "tlsv1.2": ssl.TLSVersion.TLSv1_2, "tlsv1.3": ssl.TLSVersion.TLSv1_3}


class TlsConfigError(Exception):
    pass


def _versions(ctx, protocols):
    if not protocols:
        ctx.minimum_version = ssl.TLSVersion.TLSv1_2
        return
    wanted = []
    for p in protocols.split():
        v = PROTOCOLS.get(p.lower())
        if v is None:
            raise TlsConfigError("Failed to configure TLS protocols: unknown protocol '%s'" % p)
        wanted.append(v)
    ctx.minimum_version, ctx.maximum_version = min(wanted), max(wanted)


def _common(ctx, cfg, cert, key, password):
    if cfg.typed("tls-ciphersuites"):
        raise TlsConfigError("tls-ciphersuites is not supported by this build")
    _versions(ctx, cfg.typed("tls-protocols"))
    if cert:
        try:
            ctx.load_cert_chain(cert, key or None, password=password or None)
        except (OSError, ssl.SSLError) as e:
            raise TlsConfigError("Failed to load certificate: %s: %s" % (cert, e))
    ca_file, ca_dir = cfg.typed("tls-ca-cert-file"), cfg.typed("tls-ca-cert-dir")
    if ca_file or ca_dir:
        try:
            ctx.load_verify_locations(cafile=ca_file or None, capath=ca_dir or None)
        except (OSError, ssl.SSLError) as e:
            raise TlsConfigError("Failed to configure CA certificate(s) file/directory: %s" % e)
    ciphers = cfg.typed("tls-ciphers")
    if ciphers:
        try:
            ctx.set_ciphers(ciphers)
        except ssl.SSLError:
            raise TlsConfigError("Failed to configure ciphers: %s" % ciphers)
    return ctx


def server_context(cfg):
    """The context of the TLS listener; TlsConfigError when the files or
    settings are unusable."""
    cert, key = cfg.typed("tls-cert-file"), cfg.typed("tls-key-file")
    if not cert or not key:
        raise TlsConfigError("No tls-cert-file or tls-key-file configured")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    _common(ctx, cfg, cert, key, cfg.typed("tls-key-file-pass"))
    ctx.verify_mode = {"yes": ssl.CERT_REQUIRED, "optional": ssl.CERT_OPTIONAL,
                       "no": ssl.CERT_NONE}[cfg.typed("tls-auth-clients")]
    if ctx.verify_mode != ssl.CERT_NONE and not (cfg.typed("tls-ca-cert-file") or
                                                 cfg.typed("tls-ca-cert-dir")):
        raise TlsConfigError("Either tls-ca-cert-file or tls-ca-cert-dir must be specified "
                             "when tls-auth-clients is enabled")
    if cfg.typed("tls-prefer-server-ciphers"):
        ctx.options |= ssl.OP_CIPHER_SERVER_PREFERENCE
    if not cfg.typed("tls-session-caching"):
        ctx.options |= ssl.OP_NO_TICKET
    dh = cfg.typed("tls-dh-params-file")
    if dh:
        try:
            ctx.load_dh_params(dh)
        except (OSError, ssl.SSLError) as e:
            raise TlsConfigError("Failed to load DH params file: %s: %s" % (dh, e))
    return ctx


def client_context(cfg):
    """A replica's context towards its master: the master is verified
    against the CA, and our certificate is tls-client-cert-file (or, when
    unset, tls-cert-file), as in Redis."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    cert = cfg.typed("tls-client-cert-file")
    if cert:
        key, password = cfg.typed("tls-client-key-file"), cfg.typed("tls-client-key-file-pass")
    else:
        cert, key = cfg.typed("tls-cert-file"), cfg.typed("tls-key-file")
        password = cfg.typed("tls-key-file-pass")
    _common(ctx, cfg, cert, key, password)
    if not (cfg.typed("tls-ca-cert-file") or cfg.typed("tls-ca-cert-dir")):
        ctx.verify_mode = ssl.CERT_NONE
    return ctx
