// The Nest extension: starts `nestc lsp` (path from `nest.server.path`) for `.ns` files.
// Plain JavaScript, so the package needs no build step: `npm install` and go.
"use strict";

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("nest");
  const command = config.get("server.path", "nestc");
  const args = ["lsp", ...config.get("server.extraArgs", [])];
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
