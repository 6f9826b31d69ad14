-- Playback health, read from outside the plugin: mpv's drop and delay
-- counters, printed into mpv's log at shutdown as one line
--   health: frame-drop-count=N decoder-frame-drop-count=N vo-delayed-frame-count=N
-- and, with --script-opts=health-seek-every=S, a seek every S seconds of
-- wall clock (alternately forward and back, health-seeks of them) to
-- exercise the seek path.
local opts = {['seek-every'] = 0, ['seeks'] = 12}
require('mp.options').read_options(opts, 'health')

local counters = {'frame-drop-count', 'decoder-frame-drop-count', 'vo-delayed-frame-count'}
local last = {}
for _, name in ipairs(counters) do
    last[name] = 0
    mp.observe_property(name, 'number', function(_, v)
        if v then last[name] = v end
    end)
end

mp.register_event('shutdown', function()
    local parts = {}
    for _, name in ipairs(counters) do
        parts[#parts + 1] = string.format('%s=%d', name, last[name])
    end
    mp.msg.info('health: ' .. table.concat(parts, ' '))
end)

if opts['seek-every'] > 0 then
    local n = 0
    local timer
    timer = mp.add_periodic_timer(opts['seek-every'], function()
        n = n + 1
        if n > opts['seeks'] then
            timer:kill()
            return
        end
        mp.commandv('seek', n % 2 == 1 and '1.3' or '-1.1', 'relative')
    end)
end
