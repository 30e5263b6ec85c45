// What the browser test files share: a static server on the loopback
// interface and Debian's headless Chromium, driven by playwright-core.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';

/** The five mdBook themes. */
export const THEMES = ['light', 'rust', 'coal', 'navy', 'ayu'];

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf',
  '.txt': 'text/plain',
};

/** A `resolve` for `start` that serves the files below `dir`, and nothing
 * outside it. */
export function within(dir) {
  return (pathname) => {
    const file = path.join(dir, pathname);
    return file.startsWith(dir) ? file : null;
  };
}

/**
 * Serves the files `resolve(pathname)` names (null or a missing file is a
 * 404) on 127.0.0.1 and launches Chromium. Returns the server's base URL,
 * the browser, and `close()`.
 */
export async function start(resolve) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const file = resolve(decodeURIComponent(url.pathname));
    if (!file || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${server.address().port}`;
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  } catch (e) {
    server.close();
    throw e;
  }
  const close = async () => {
    await browser.close();
    await new Promise((done) => server.close(done));
  };
  return { base, browser, close };
}
