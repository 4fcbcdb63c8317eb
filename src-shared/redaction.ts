/**
 * Object keys whose values are secrets whatever they look like, for both the exporter's redactor
 * and the UI's default view. Anchored at the end, so counts such as `total_tokens` or
 * `token_usage` are not mistaken for a token.
 */
export const SECRET_KEY_NAME = /(?:^|[_-])(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|authorization|credentials?|private[_-]?key|cookie)$/i;
