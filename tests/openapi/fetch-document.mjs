// Saves Okapi's OpenAPI document, waiting for the app to start: node fetch-document.mjs <url> <file>
import { writeFile } from "node:fs/promises";

const [url, file] = process.argv.slice(2);
const deadline = Date.now() + 120_000;
for (;;) {
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    await writeFile(file, await response.text());
    break;
  } catch (error) {
    if (Date.now() > deadline) {
      console.error(`No OpenAPI document from ${url}: ${error.message}`);
      process.exit(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
