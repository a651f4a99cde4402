/* Frames and fields: little-endian u32 byte counts, bounds-checked before anything is read. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spawner.h"

static uint32_t get_u32(const char *p) {
  const unsigned char *u = (const unsigned char *)p;
  return (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
}

static void put_u32(char *p, uint32_t v) {
  p[0] = (char)(v & 0xff);
  p[1] = (char)(v >> 8 & 0xff);
  p[2] = (char)(v >> 16 & 0xff);
  p[3] = (char)(v >> 24 & 0xff);
}

/* Split a frame body into fields. -1 if a count runs past the end, there are too many, or bytes are left over. */
int parse_fields(const char *buf, uint32_t len, struct field *out, int max, int *n) {
  uint32_t at = 0;
  *n = 0;
  while (at < len) {
    if (len - at < 4 || *n >= max) return -1;
    uint32_t flen = get_u32(buf + at);
    at += 4;
    if (flen > len - at) return -1;
    out[*n].p = buf + at;
    out[*n].len = flen;
    (*n)++;
    at += flen;
  }
  return 0;
}

void ob_bytes(struct outbuf *o, const void *p, size_t len) {
  if (o->len + len > o->cap) {
    size_t cap = o->cap ? o->cap : 256;
    while (cap < o->len + len) cap *= 2;
    char *np = realloc(o->p, cap);
    if (!np) abort();
    o->p = np;
    o->cap = cap;
  }
  if (len) memcpy(o->p + o->len, p, len);
  o->len += len;
}

void ob_field(struct outbuf *o, const void *p, size_t len) {
  char hdr[4];
  put_u32(hdr, (uint32_t)len);
  ob_bytes(o, hdr, 4);
  ob_bytes(o, p, len);
}

void ob_field_str(struct outbuf *o, const char *s) { ob_field(o, s, strlen(s)); }

void ob_field_long(struct outbuf *o, long v) {
  char num[32];
  int k = snprintf(num, sizeof num, "%ld", v);
  ob_field(o, num, (size_t)k);
}

void ob_free(struct outbuf *o) {
  free(o->p);
  o->p = NULL;
  o->len = o->cap = 0;
}

int write_all(int fd, const void *buf, size_t n) {
  const char *p = buf;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

int send_frame(int fd, const struct outbuf *fields) {
  char hdr[4];
  put_u32(hdr, (uint32_t)fields->len);
  if (write_all(fd, hdr, 4) != 0) return -1;
  return write_all(fd, fields->p, fields->len);
}

char *field_strdup(const struct field *f) {
  if (memchr(f->p, 0, f->len)) return NULL;
  char *s = malloc((size_t)f->len + 1);
  if (!s) abort();
  memcpy(s, f->p, f->len);
  s[f->len] = 0;
  return s;
}
