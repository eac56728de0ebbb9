import { ConflictError, FeatureNotImplementedError, ItemNotFoundError } from "@reguser/errors";
import { describe, expect, it } from "vitest";
import { startServer } from "../src/index.js";
import { usersProvisioner } from "../src/users-provisioner.js";

describe("usersProvisioner: the embedded server's own admin path", () => {
  it("creates with name and email kept, tells what exists, changes passwords and removes", async () => {
    const server = await startServer({ domain: "prov.test" });
    try {
      const admin = usersProvisioner(server.users);
      await admin.createUser({ username: "ann", password: "ann-password-1", name: "Ann", email: "ann@example.org" });
      expect(server.users.get("ann")?.fields).toEqual({ name: "Ann", email: "ann@example.org" });
      expect(await admin.userExists?.("ann")).toBe(true);
      expect(await admin.userExists?.("bob")).toBe(false);
      await expect(admin.createUser({ username: "ann", password: "x-password-2" })).rejects.toBeInstanceOf(
        ConflictError,
      );
      await admin.changePassword({ username: "ann", password: "ann-password-2" });
      expect(server.users.get("ann")?.fields).toEqual({ name: "Ann", email: "ann@example.org" });
      await expect(admin.changePassword({ username: "bob", password: "p" })).rejects.toBeInstanceOf(ItemNotFoundError);
      await expect(admin.disableUser("ann")).rejects.toBeInstanceOf(FeatureNotImplementedError);
      await admin.removeUser("ann");
      expect(server.users.has("ann")).toBe(false);
      await expect(admin.removeUser("ann")).rejects.toBeInstanceOf(ItemNotFoundError);
      await admin.close();
    } finally {
      await server.close();
    }
  });
});
