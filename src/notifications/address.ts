// What the `email` task and the account page accept as an address. Pure.

/** A plain address, no display name: local part, @, a domain with a dot. */
export const MAIL_ADDRESS = /^[^\s@<>",;]{1,64}@[^\s@<>",;]{1,253}\.[A-Za-z]{2,63}$/;
