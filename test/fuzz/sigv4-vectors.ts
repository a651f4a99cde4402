/**
 * Vectors of the public aws-sig-v4-test-suite (credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z,
 * us-east-1, service "service", host example.amazonaws.com) that src/efs/sigv4/verify.test.ts does
 * not already check: header canonicalisation (duplicates, order, trimming, case), query encoding
 * (unreserved, UTF-8, order, empty values, reserved characters), the normalize-path set (non-S3
 * services resolve "." and ".." and merge slashes), form bodies and a signed session token.
 * Each entry is the raw request as it reaches a server and the signature the suite publishes.
 */
export interface SuiteVector {
  name: string;
  method: string;
  rawPath: string;
  rawQuery?: string;
  headers?: Record<string, string[]>;
  body?: string;
  signature: string;
}

const VANILLA = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";
const UNRESERVED = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const STS_TOKEN =
  "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

export const SUITE_VECTORS: SuiteVector[] = [
  { name: "get-header-key-duplicate", method: "GET", rawPath: "/", headers: { "my-header1": ["value2", "value2", "value1"] }, signature: "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea" },
  { name: "get-header-value-order", method: "GET", rawPath: "/", headers: { "my-header1": ["value4", "value1", "value3", "value2"] }, signature: "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01" },
  { name: "get-header-value-trim", method: "GET", rawPath: "/", headers: { "my-header1": [" value1"], "my-header2": [' "a   b   c"'] }, signature: "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736" },
  { name: "get-unreserved", method: "GET", rawPath: `/${UNRESERVED}`, signature: "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f" },
  { name: "get-vanilla-empty-query-key", method: "GET", rawPath: "/", rawQuery: "Param1=value1", signature: "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb" },
  { name: "get-vanilla-query-unreserved", method: "GET", rawPath: "/", rawQuery: `${UNRESERVED}=${UNRESERVED}`, signature: "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197" },
  { name: "get-vanilla-utf8-query", method: "GET", rawPath: "/", rawQuery: "%E1%88%B4=bar", signature: "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04" },
  { name: "get-vanilla-query-order-encoded", method: "GET", rawPath: "/", rawQuery: "Param-3=Value3&Param=Value2&%E1%88%B4=Value1", signature: "371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac" },
  { name: "normalize-path/get-relative", method: "GET", rawPath: "/example/..", signature: VANILLA },
  { name: "normalize-path/get-relative-relative", method: "GET", rawPath: "/example1/example2/../..", signature: VANILLA },
  { name: "normalize-path/get-slash", method: "GET", rawPath: "//", signature: VANILLA },
  { name: "normalize-path/get-slash-dot-slash", method: "GET", rawPath: "/./", signature: VANILLA },
  { name: "normalize-path/get-slash-pointless-dot", method: "GET", rawPath: "/./example", signature: "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5" },
  { name: "normalize-path/get-slashes", method: "GET", rawPath: "//example//", signature: "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84" },
  { name: "normalize-path/get-space", method: "GET", rawPath: "/example space/", signature: "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741" },
  { name: "post-header-key-case", method: "POST", rawPath: "/", signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b" },
  { name: "post-header-key-sort", method: "POST", rawPath: "/", headers: { "my-header1": ["value1"] }, signature: "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c" },
  { name: "post-header-value-case", method: "POST", rawPath: "/", headers: { "my-header1": ["VALUE1"] }, signature: "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d" },
  { name: "post-vanilla-query", method: "POST", rawPath: "/", rawQuery: "Param1=value1", signature: "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11" },
  {
    name: "post-vanilla-query-nonunreserved", method: "POST", rawPath: "/",
    rawQuery: "%40%23%24%25%5E=&%2B=%2F%2C%3F%3E%3C%60%22%3B%3A%5C%7C%5D%5B%7B%7D", signature: "66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e",
  },
  { name: "post-x-www-form-urlencoded", method: "POST", rawPath: "/", headers: { "content-type": ["application/x-www-form-urlencoded"] }, body: "Param1=value1", signature: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a" },
  {
    name: "post-x-www-form-urlencoded-parameters", method: "POST", rawPath: "/", headers: { "content-type": ["application/x-www-form-urlencoded; charset=utf8"] },
    body: "Param1=value1", signature: "1a72ec8f64bd914b0e42e42607c7fbce7fb2c7465f63e3092b3b0d39fa77a6fe",
  },
  { name: "post-sts-token/post-sts-header-before", method: "POST", rawPath: "/", headers: { "x-amz-security-token": [STS_TOKEN] }, signature: "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead" },
];
