#ifndef COPENSSL_SHIM_H
#define COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/md5.h>
#include <openssl/sha.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* TLS (HTTP room): OpenSSL macros over SSL_CTX_ctrl / SSL_ctrl, which Swift cannot import. */
static inline int cs_ssl_ctx_set_min_tls12(SSL_CTX *ctx) {
    return (int)SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
}
static inline long cs_ssl_ctx_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }
static inline long cs_ssl_ctx_add1_chain_cert(SSL_CTX *ctx, X509 *cert) {
    return SSL_CTX_add1_chain_cert(ctx, cert);
}
static inline long cs_ssl_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}
static inline long cs_ssl_ctx_set_servername_callback(SSL_CTX *ctx, int (*callback)(SSL *, int *, void *)) {
    return SSL_CTX_set_tlsext_servername_callback(ctx, callback);
}
static inline int cs_ssl_tlsext_err_ok(void) { return SSL_TLSEXT_ERR_OK; }
static inline int cs_x509_v_ok(void) { return X509_V_OK; }
static inline uint64_t cs_ssl_op_ignore_unexpected_eof(void) { return SSL_OP_IGNORE_UNEXPECTED_EOF; }
static inline uint64_t cs_ssl_op_no_renegotiation(void) { return SSL_OP_NO_RENEGOTIATION; }
static inline uint64_t cs_ssl_op_cipher_server_preference(void) { return SSL_OP_CIPHER_SERVER_PREFERENCE; }

/* CRC-32C (Castagnoli) with the SSE4.2 crc32 instruction, used by Digest.CRC32C when
   cs_has_crc32c_instruction() says the CPU has it. `crc` is the raw register (no inversion). */
#if defined(__x86_64__)
static inline int cs_has_crc32c_instruction(void) {
    unsigned int a, b, c, d;
    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    return (int)((c >> 20) & 1);
}

__attribute__((target("sse4.2")))
static inline uint32_t cs_crc32c_update(uint32_t crc, const unsigned char *p, size_t n) {
    unsigned long long c = crc;
    while (n > 0 && ((uintptr_t)p & 7) != 0) {
        c = __builtin_ia32_crc32qi((unsigned int)c, *p++);
        n--;
    }
    while (n >= 32) {
        unsigned long long w0, w1, w2, w3;
        memcpy(&w0, p, 8);
        memcpy(&w1, p + 8, 8);
        memcpy(&w2, p + 16, 8);
        memcpy(&w3, p + 24, 8);
        c = __builtin_ia32_crc32di(c, w0);
        c = __builtin_ia32_crc32di(c, w1);
        c = __builtin_ia32_crc32di(c, w2);
        c = __builtin_ia32_crc32di(c, w3);
        p += 32;
        n -= 32;
    }
    while (n >= 8) {
        unsigned long long w;
        memcpy(&w, p, 8);
        c = __builtin_ia32_crc32di(c, w);
        p += 8;
        n -= 8;
    }
    while (n > 0) {
        c = __builtin_ia32_crc32qi((unsigned int)c, *p++);
        n--;
    }
    return (uint32_t)c;
}
#else
static inline int cs_has_crc32c_instruction(void) { return 0; }
static inline uint32_t cs_crc32c_update(uint32_t crc, const unsigned char *p, size_t n) {
    (void)p;
    (void)n;
    return crc;
}
#endif
#endif
