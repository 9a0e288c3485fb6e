/**
 * Password length rules, pure so that browser forms check exactly what the server checks.
 * NIST SP 800-63B: at least 8 characters, no composition rules, long passphrases welcome.
 */
export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;
