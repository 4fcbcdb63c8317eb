/**
 * The operating-system side of the processes executors start: who a pid is (its kernel start
 * time, so a reused pid is never mistaken for it), whether a process group still has members,
 * signalling a whole group, and finding a command on PATH before anything is spawned.
 */
import fs from 'node:fs';
import path from 'node:path';

/** A process as the kernel knows it: its start time in clock ticks since boot, and its state. */
export interface ProcessStart {
  startTicks: number;
  state: string;
}

/** /proc/<pid>/stat fields 3 (state) and 22 (starttime), or null if there is no such process (or no /proc). */
export function processStart(pid: number): ProcessStart | null {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const startTicks = Number(fields[19]);
  return Number.isSafeInteger(startTicks) ? { startTicks, state: fields[0] ?? '?' } : null;
}

/** This boot's id: a start time means something only within the boot it was read in. */
export function bootId(): string | null {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}

/** Sends `signal` to every process of the group; false when the group has no member left. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Where `command` is, as execvp would find it (a name with a slash is relative to cwd), or null. */
export function resolveExecutable(command: string, searchPath: string | undefined, cwd: string): string | null {
  if (command.includes('/')) {
    const file = path.resolve(cwd, command);
    return isExecutableFile(file) ? file : null;
  }
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, command);
    if (isExecutableFile(file)) return file;
  }
  return null;
}

/** The state (field 3) and process group (field 5) of every process in /proc, or null without /proc. */
function processGroups(): Array<{ state: string; pgrp: number }> | null {
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return null;
  }
  return names
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return [{ state: fields[0] ?? '?', pgrp: Number(fields[2]) }];
      } catch {
        return [];
      }
    });
}

/**
 * Whether the group still has a member that is not a zombie. Zombies count as gone: where
 * nobody reaps them (an init-less container) they would otherwise look alive forever.
 */
export function groupHasLiveMembers(pgid: number): boolean {
  const all = processGroups();
  if (all === null) return signalGroup(pgid, 0);
  return all.some((member) => member.pgrp === pgid && member.state !== 'Z');
}
