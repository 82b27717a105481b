-- Neovim config for the headless test (tests/nvim.rs): start `$NESTC lsp` on `.ns`
-- buffers, write the first diagnostics that arrive to `$NEST_NVIM_OUT`, and quit.
-- Written for Neovim 0.7 (Debian 12) and later: start_client + buf_attach_client.
local nestc = os.getenv("NESTC") or "nestc"
local out = os.getenv("NEST_NVIM_OUT") or "nvim-diagnostics.txt"

vim.api.nvim_create_autocmd({ "BufReadPost", "BufNewFile" }, {
  pattern = "*.ns",
  callback = function(args)
    vim.bo[args.buf].filetype = "nest"
    local client = vim.lsp.start_client({ name = "nest", cmd = { nestc, "lsp" }, root_dir = vim.fn.getcwd() })
    if client then
      vim.lsp.buf_attach_client(args.buf, client)
    end
  end,
})

vim.api.nvim_create_autocmd("DiagnosticChanged", {
  callback = function(args)
    local diags = vim.diagnostic.get(args.buf)
    if #diags == 0 then
      return
    end
    local f = io.open(out, "w")
    for _, d in ipairs(diags) do
      f:write(string.format("%d:%s:%s\n", d.lnum + 1, tostring(d.code), d.message))
    end
    f:close()
    vim.cmd("qall!")
  end,
})

-- Give up after 30 s: the test then fails for want of the output file.
vim.defer_fn(function() vim.cmd("cquit 3") end, 30000)
