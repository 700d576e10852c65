// Lua run atomically inside Redis. Key layout (p = prefix):
//   p..epoch            random id of this Redis state; changes when Redis lost its data
//   p..clock            global version clock (INCR)
//   p..v:<dep>          "clock|ms" version of one dependency key (no TTL: Redis must not evict
//                       keys without one, i.e. run a volatile-* or noeviction policy)
//   p..applied:<chunk>  bitmap of applied outbox ids (dedupe across appliers)
//   p..e:<key>          entry hash: meta, v (recorded versions), d (deps), raw, gz, br
//   p..lease:<key>      fill lease token
//   p..bus / p..filled  pub/sub channels

const EPOCH = `
local function epoch(p, candidate)
  local e = redis.call('GET', p .. 'epoch')
  if not e then
    e = candidate
    redis.call('SET', p .. 'epoch', e)
  end
  return e
end
`

/** ARGV: prefix, nowMs, newEpoch, id1, dep1, id2, dep2, ... -> {epoch, clock, deps...} */
export const APPLY = `${EPOCH}
local p = ARGV[1]
local e = epoch(p, ARGV[3])
local seen = {}
local fresh = {}
for i = 4, #ARGV, 2 do
  local id = tonumber(ARGV[i])
  local chunk = math.floor(id / 1048576)
  local key = p .. 'applied:' .. chunk
  if redis.call('SETBIT', key, id % 1048576, 1) == 0 then
    redis.call('EXPIRE', key, 172800)
    local dep = ARGV[i + 1]
    if not seen[dep] then
      seen[dep] = true
      fresh[#fresh + 1] = dep
    end
  end
end
if #fresh == 0 then return {e, tonumber(redis.call('GET', p .. 'clock') or '0')} end
local clock = redis.call('INCR', p .. 'clock')
local v = clock .. '|' .. ARGV[2]
for _, dep in ipairs(fresh) do redis.call('SET', p .. 'v:' .. dep, v) end
redis.call('PUBLISH', p .. 'bus', e .. '\\n' .. v .. '\\n' .. table.concat(fresh, '\\n'))
local out = {e, clock}
for _, dep in ipairs(fresh) do out[#out + 1] = dep end
return out
`

/** ARGV: prefix, newEpoch -> {epoch, clock} */
export const CLOCK = `${EPOCH}
local p = ARGV[1]
local e = epoch(p, ARGV[2])
return {e, tonumber(redis.call('GET', p .. 'clock') or '0')}
`

/** KEYS: lease. ARGV: prefix, newEpoch, token, leaseMs -> {gotLease, epoch, clock} */
export const LEASE_AND_CLOCK = `${EPOCH}
local p = ARGV[1]
local e = epoch(p, ARGV[2])
local ok = redis.call('SET', KEYS[1], ARGV[3], 'NX', 'PX', tonumber(ARGV[4]))
return {ok and 1 or 0, e, tonumber(redis.call('GET', p .. 'clock') or '0')}
`

/**
 * Compare-and-set store of a filled entry.
 * KEYS: entry, lease. ARGV: prefix, token, epoch0, clock0, nowMs, entryTtlMs,
 *       meta, raw, gz, br, depsJoined, keyForFilled, deps...
 * Each dep's current version is recorded only if it is not above clock0 (else -1: stored stale).
 * A dep with no version was not changed since clock0 was read (any change would have created
 * it; version keys never expire), so it gets version clock0. The entry is written only while the
 * caller still holds the lease. Returns {stored, fresh, recorded (comma-joined)}.
 */
export const STORE = `
local p = ARGV[1]
if redis.call('GET', p .. 'epoch') ~= ARGV[3] then return {0, 0, ''} end
local clock0 = tonumber(ARGV[4])
local recorded = {}
local fresh = 1
for i = 13, #ARGV do
  local k = p .. 'v:' .. ARGV[i]
  local v = redis.call('GET', k)
  if not v then
    redis.call('SET', k, clock0 .. '|' .. ARGV[5], 'NX')
    recorded[#recorded + 1] = tostring(clock0)
  else
    local c = tonumber(string.match(v, '^(%d+)'))
    if c > clock0 then
      recorded[#recorded + 1] = '-1'
      fresh = 0
    else
      recorded[#recorded + 1] = tostring(c)
    end
  end
end
local rec = table.concat(recorded, ',')
if redis.call('GET', KEYS[2]) ~= ARGV[2] then return {0, fresh, rec} end
redis.call('DEL', KEYS[2])
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'meta', ARGV[7], 'v', rec, 'd', ARGV[11],
  'raw', ARGV[8], 'gz', ARGV[9], 'br', ARGV[10])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[6]))
redis.call('PUBLISH', p .. 'filled', ARGV[12])
return {1, fresh, rec}
`

/** KEYS: entry. ARGV: prefix -> {meta, recorded, deps, raw, gz, br, clock, epoch, versions...} or nil */
export const READ = `
local f = redis.call('HMGET', KEYS[1], 'meta', 'v', 'd', 'raw', 'gz', 'br')
if not f[1] then return nil end
local p = ARGV[1]
local keys = {p .. 'epoch'}
if f[3] ~= '' then
  for dep in string.gmatch(f[3], '[^\\n]+') do keys[#keys + 1] = p .. 'v:' .. dep end
end
local cur = redis.call('MGET', unpack(keys))
local out = {f[1], f[2], f[3], f[4], f[5], f[6], redis.call('GET', p .. 'clock') or '0'}
for i = 1, #keys do out[#out + 1] = cur[i] or '' end
return out
`

/**
 * The versions to record for a value read after clock0 (like STORE, without an entry): each dep's
 * version if not above clock0, else -1; a dep with no version gets clock0 (created NX).
 * ARGV: prefix, epoch0, clock0, nowMs, deps... -> {epochMatches, recorded (comma-joined)}
 */
export const PIN = `
local p = ARGV[1]
if redis.call('GET', p .. 'epoch') ~= ARGV[2] then return {0, ''} end
local clock0 = tonumber(ARGV[3])
local recorded = {}
for i = 5, #ARGV do
  local k = p .. 'v:' .. ARGV[i]
  local v = redis.call('GET', k)
  if not v then
    redis.call('SET', k, clock0 .. '|' .. ARGV[4], 'NX')
    recorded[#recorded + 1] = tostring(clock0)
  else
    local c = tonumber(string.match(v, '^(%d+)'))
    recorded[#recorded + 1] = c > clock0 and '-1' or tostring(c)
  end
end
return {1, table.concat(recorded, ',')}
`
