-- A session in a real editor, driven by tests/test_neovim.py: `nvim --headless -u NONE -l neovim_session.lua`.
-- The README's two Neovim recipes (the language server and the on-save command) are loaded as a user
-- would load them; what the editor shows is written as JSON to $SESSION_OUT for the test to assert.
local project, out_path = vim.env.SESSION_PROJECT, vim.env.SESSION_OUT
local TIMEOUT = 30000
local seen = { steps = {} }
local published = {} -- uri -> how many diagnostics the server last published for it

local function step(name, value)
  table.insert(seen.steps, name)
  seen[name] = value
end

local function lines(buf)
  return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n") .. "\n"
end

local function codes(buf)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(found, string.format("%d:%d %s", d.lnum + 1, d.col + 1, d.code))
  end
  table.sort(found)
  return found
end

local function has_code(buf, code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == code then
      return true
    end
  end
  return false
end

local function wait_for(what, condition)
  if not vim.wait(TIMEOUT, condition, 20) then
    error("timed out waiting for " .. what)
  end
end

local function apply_action(buf, row, title, changes)
  -- The editor's own code action UI, narrowed to one action so that `apply` needs no choice.
  changes = changes or buf
  local before = vim.api.nvim_buf_is_valid(changes) and vim.b[changes].changedtick
  vim.api.nvim_win_set_cursor(0, { row, 0 })
  vim.lsp.buf.code_action({
    filter = function(action)
      return action.title == title
    end,
    apply = true,
  })
  wait_for("the action " .. title, function()
    return vim.api.nvim_buf_is_valid(changes) and vim.b[changes].changedtick ~= before
  end)
end

local function run()
  local publish = vim.lsp.handlers["textDocument/publishDiagnostics"]
  vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
    published[result.uri] = #result.diagnostics
    return publish(err, result, ctx, config)
  end
  vim.cmd("filetype on")
  dofile(vim.env.SESSION_SERVER_RECIPE)
  dofile(vim.env.SESSION_ON_SAVE_RECIPE)

  vim.cmd.edit(project .. "/app/models/posts.py")
  local buf = vim.api.nvim_get_current_buf()
  wait_for("a client", function()
    return #vim.lsp.get_clients({ bufnr = buf }) == 1
  end)
  -- The whole-project findings (CL801, CL103) come once the project is indexed.
  wait_for("the project's findings", function()
    return has_code(buf, "CL801")
  end)
  step("diagnostics", codes(buf))
  step("messages", vim.tbl_map(function(d)
    return d.code .. " " .. d.message
  end, vim.diagnostic.get(buf)))

  local client = vim.lsp.get_clients({ bufnr = buf })[1]
  local function hover(line, character)
    local response = client:request_sync("textDocument/hover", {
      textDocument = { uri = vim.uri_from_bufnr(buf) },
      position = { line = line, character = character },
    }, TIMEOUT, buf)
    local result = response and response.result
    return result and result.contents.value or vim.NIL
  end
  step("hover_finding", hover(18, 26)) -- CL102 at 19:27

  -- Its edit is in another file, which the editor opens to apply it.
  local base = vim.fn.bufadd(project .. "/app/db/base.py")
  vim.fn.bufload(base)
  apply_action(buf, 10, "Import `Post` in `app/db/base.py` (CL801)", base)
  step("quick_fix_other_file", lines(base))

  apply_action(buf, 10, "Disable CL104 for this line")
  step("disabled", vim.api.nvim_buf_get_lines(buf, 9, 10, false)[1])
  step("hover_noqa", hover(9, #"class Post(Base):  # noqa: C")) -- on the code in the comment

  local before = vim.b[buf].changedtick
  -- The README's fix all, as written there.
  vim.lsp.buf.code_action({ context = { only = { "source.fixAll.conventions-lint" } }, apply = true })
  wait_for("fix all", function()
    return vim.b[buf].changedtick ~= before
  end)
  wait_for("diagnostics after the fixes", function()
    return not has_code(buf, "CL102") and not has_code(buf, "CL104")
  end)
  step("after_fixes", lines(buf))
  step("diagnostics_after_fixes", codes(buf))

  -- The README's on-save command, on another file.
  vim.cmd.edit(project .. "/app/schemas/post.py")
  vim.cmd.write()
  step("saved_buffer", lines(vim.api.nvim_get_current_buf()))

  -- A file the settings leave out (the default `exclude` has .venv/) gets no diagnostics, as with ruff's server.
  local excluded = project .. "/.venv/lib/models/posts.py"
  vim.cmd.edit(excluded)
  local excluded_uri = vim.uri_from_fname(excluded)
  wait_for("the excluded file's diagnostics", function()
    return published[excluded_uri] ~= nil
  end)
  step("excluded_diagnostics", published[excluded_uri])
end

local ok, err = pcall(run)
if not ok then
  seen.error = tostring(err)
end
local file = assert(io.open(out_path, "w"))
file:write(vim.json.encode(seen))
file:close()
vim.cmd("qall!")
