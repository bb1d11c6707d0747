#!/usr/bin/env node
/**
 * Find the Chromium the browser tests run in, installing it (and a CJK font) when missing.
 *
 *   node scripts/ensure-chromium.mjs      # prints the executable path, or exits 1 with how to get one
 *
 * Lookup: $CHROME_PATH, else /usr/bin/chromium, else /usr/bin/chromium-browser.
 * No npm package can download a browser on our machines (SETUP.md), so a missing browser is installed
 * from Debian packages, which needs root and apt-get: CI and fresh machines start without one.
 * fonts-wqy-microhei is installed alongside, because without a CJK font Chinese renders as boxes and
 * every visual/metric assertion on 中文 labels is meaningless.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { pathToFileURL } from 'node:url';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const CJK_FONT_PACKAGE = 'fonts-wqy-microhei';

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Where Chromium is, without installing anything: $CHROME_PATH (trusted as given), else the first
 * executable candidate, else undefined.
 * @returns {string | undefined}
 */
export function findChromium() {
  if (process.env.CHROME_PATH) return process.env.CHROME_PATH;
  return CANDIDATES.find(isExecutable);
}

/** @returns {boolean | undefined} undefined when this system cannot tell (no dpkg, no fc-list). */
function hasCjkFont() {
  if (hasCommand('dpkg')) {
    const r = spawnSync('dpkg', ['-s', CJK_FONT_PACKAGE], { encoding: 'utf8' });
    if (r.status === 0 && /^Status: install ok installed/m.test(r.stdout)) return true;
  }
  if (hasCommand('fc-list')) {
    const r = spawnSync('fc-list', [], { encoding: 'utf8' });
    return r.status === 0 && /wqy|noto (sans|serif) cjk|source han/i.test(r.stdout);
  }
  return hasCommand('dpkg') ? false : undefined;
}

const canApt = () => process.getuid?.() === 0 && hasCommand('apt-get');

/** Run apt-get with live output; retries while another apt/dpkg holds the lock. */
function aptGet(args) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Wait up to 5 min for a dpkg lock held by another apt run (e.g. a provisioning script) …
  const full = ['-o', 'DPkg::Lock::Timeout=300', ...args];
  for (let attempt = 1; attempt <= 3; attempt++) {
    console.error(`[ensure-chromium] apt-get ${args.join(' ')}`);
    const r = spawnSync('apt-get', full, { stdio: 'inherit', env });
    if (r.status === 0) return;
    // … and retry a few times, since `apt-get update`'s lists lock is not covered by that timeout.
    if (attempt < 3) {
      console.error(`[ensure-chromium] apt-get failed (exit ${r.status}); retrying in 20 s`);
      spawnSync('sleep', ['20']);
    } else {
      throw new Error(`apt-get ${args.join(' ')} failed with exit code ${r.status}`);
    }
  }
}

function howToInstall(what) {
  return [
    `[ensure-chromium] ${what}.`,
    '  Browser tests need Chromium and a CJK font. Either:',
    `    sudo apt-get update && sudo apt-get install -y chromium ${CJK_FONT_PACKAGE}`,
    '  (or run this command as root and it installs them), or point CHROME_PATH at a Chrome/Chromium',
    '  executable, e.g. CHROME_PATH="/Applications/Google Chrome.app/Contents/MacOS/Google Chrome".',
  ].join('\n');
}

/**
 * Return the Chromium executable path, installing Chromium and the CJK font through apt-get when
 * missing and running as root. Throws with installation instructions otherwise.
 * @returns {string}
 */
export function ensureChromium() {
  let path = findChromium();
  if (path && !isExecutable(path)) throw new Error(howToInstall(`CHROME_PATH=${path} is not an executable`));
  if (!path) {
    if (!canApt())
      throw new Error(howToInstall('No Chromium found ($CHROME_PATH, ' + CANDIDATES.join(', ') + ')'));
    aptGet(['update']);
    aptGet(['install', '-y', 'chromium', CJK_FONT_PACKAGE]);
    path = findChromium();
    if (!path) throw new Error(howToInstall('apt-get installed chromium, but no executable was found'));
  }
  if (hasCjkFont() === false) {
    if (canApt()) {
      aptGet(['update']);
      aptGet(['install', '-y', CJK_FONT_PACKAGE]);
    } else {
      console.error(
        `[ensure-chromium] warning: no CJK font (${CJK_FONT_PACKAGE}) found; Chinese text will render as boxes.\n` +
          `  Install it with: sudo apt-get install -y ${CJK_FONT_PACKAGE}`,
      );
    }
  }
  return path;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    console.log(ensureChromium());
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
