export type { NewUser, Provisioner } from "./provisioner.js";
export { AdminCommandError } from "./run-command.js";
export { buildCommand, COMMANDS_NS, type CommandNote, type CommandReply, parseCommand } from "./xep0050.js";
export { ADMIN_NODES, type Xep0133Options, xep0133Provisioner } from "./xep0133.js";
