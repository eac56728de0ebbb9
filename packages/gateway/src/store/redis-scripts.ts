// The Lua the Redis store runs where one command is not enough: each script runs atomically on the server.

/**
 * Reserve a username. KEYS[1] the reservation; ARGV: the link id, the value to keep (JSON `{id, expiresAt}`), `now`,
 * the TTL in ms. Returns 0 when another link holds it and its hold has not expired at `now`, else keeps the value
 * (a new hold, a renewal by the same link, or the takeover of an expired one) and returns 1.
 */
export const RESERVE_USERNAME = `
local held = redis.call('GET', KEYS[1])
if held then
  local ok, current = pcall(cjson.decode, held)
  if ok and type(current) == 'table' and current.id ~= ARGV[1] then
    local until_ms = tonumber(current.expiresAt)
    if until_ms and until_ms > tonumber(ARGV[3]) then return 0 end
  end
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[4])
return 1
`;

/** Release a username. KEYS[1] the reservation; ARGV[1] the link id. Deletes it only if that link holds it. */
export const RELEASE_USERNAME = `
local held = redis.call('GET', KEYS[1])
if held then
  local ok, current = pcall(cjson.decode, held)
  if ok and type(current) == 'table' and current.id == ARGV[1] then return redis.call('DEL', KEYS[1]) end
end
return 0
`;

/** Count a hit. KEYS[1] the window's counter; ARGV[1] the ms left of the window. Returns the count, this hit included. */
export const HIT = `
local count = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return count
`;
