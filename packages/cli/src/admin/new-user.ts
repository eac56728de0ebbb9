// A registration's fields as a provisioner's NewUser: the fields every backend knows; the others are not sent.
import type { NewUser } from "@reguser/admin";
import type { NewAccount } from "reguser";

const KNOWN = ["username", "password", "name", "email"];

export function newUserOf(account: NewAccount): NewUser {
  const { username, password, name, email } = account;
  return { username, password, ...(name === undefined ? {} : { name }), ...(email === undefined ? {} : { email }) };
}

/** Fields of `account` that `newUserOf` leaves out (the book's form takes any field=value). */
export function fieldsLeftOut(account: NewAccount): string[] {
  return Object.keys(account).filter((field) => !KNOWN.includes(field));
}
