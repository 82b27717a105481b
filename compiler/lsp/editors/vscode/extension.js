// The Nest extension: starts `nestc lsp` (path from `nest.server.path`) for `.ns` files.
// Plain JavaScript, so the package needs no build step: `npm install` and go.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

// A server setting from the user's own settings only: both are machine-scoped in
// package.json, and a value a workspace (or folder) sets is ignored here too, so an
// opened repository can never choose the program that runs.
function userSetting(config, key, fallback) {
  const seen = config.inspect(key);
  if (!seen) {
    return fallback;
  }
  const value = seen.globalValue !== undefined ? seen.globalValue : seen.defaultValue;
  return value !== undefined ? value : fallback;
}

function activate(context) {
  const config = vscode.workspace.getConfiguration("nest");
  const command = userSetting(config, "server.path", "nestc");
  const extra = userSetting(config, "server.extraArgs", []);
  const args = ["lsp", ...(Array.isArray(extra) ? extra.map(String) : [])];
  const server = { command, args };
  client = new LanguageClient(
    "nest",
    "Nest language server",
    { run: server, debug: server },
    { documentSelector: [{ scheme: "file", language: "nest" }, { scheme: "untitled", language: "nest" }] }
  );
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("nest.server")) {
        vscode.window.showInformationMessage("Nest: reload the window to use the new server settings.");
      }
    })
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
