// `atomsync completion bash|zsh|fish`: shell completion generated from the CLI's own commands and
// options, so it never falls behind a new verb or flag.
import type { Command } from 'commander';
import { RESOURCES } from '../ui/fleet-tables.js';
import { CliError } from './errors.js';

const SHELLS = ['bash', 'zsh', 'fish'] as const;
type Shell = (typeof SHELLS)[number];

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .argument('<shell>', SHELLS.join(' | '))
    .description('Print the shell completion script')
    .addHelpText(
      'after',
      `
Examples:
  source <(atomsync completion bash)                      # bash, this shell
  atomsync completion zsh > "\${fpath[1]}/_atomsync"       # zsh
  atomsync completion fish > ~/.config/fish/completions/atomsync.fish`,
    )
    .action((shell: string) => {
      if (!(SHELLS as readonly string[]).includes(shell))
        throw new CliError(`unknown shell "${shell}": use ${SHELLS.join(', ')}`);
      process.stdout.write(completionScript(program, shell as Shell));
    });
}

interface VerbSpec {
  name: string;
  description: string;
  options: string[];
}

function verbsOf(program: Command): VerbSpec[] {
  const verbs = program.commands.map((command) => ({
    name: command.name(),
    description: command.description().replace(/'/g, ''),
    options: command.options.flatMap((option) =>
      [option.long, option.short].filter((flag): flag is string => !!flag),
    ),
  }));
  return [
    ...verbs,
    {
      name: 'sim',
      description: 'Serve the platform simulator',
      options: ['--scenario', '--listen', '--state', '--clock'],
    },
  ];
}

function completionScript(program: Command, shell: Shell): string {
  const verbs = verbsOf(program);
  if (shell === 'bash') return bash(verbs);
  if (shell === 'zsh')
    return `#compdef atomsync\nautoload -U +X bashcompinit && bashcompinit\n${bash(verbs)}`;
  return fish(verbs);
}

function bash(verbs: readonly VerbSpec[]): string {
  const cases = verbs.map((verb) => `    ${verb.name}) opts='${verb.options.join(' ')}' ;;`).join('\n');
  return `# atomsync bash completion
_atomsync() {
  local cur prev verb opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  verb="\${COMP_WORDS[1]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W '${verbs.map((verb) => verb.name).join(' ')} --help --version' -- "$cur") )
    return
  fi
  case "$prev" in
    -c|--config|-d|--dir|--out|--scenario|--state) COMPREPLY=( $(compgen -f -- "$cur") ); return ;;
    -o|--output) COMPREPLY=( $(compgen -W 'table wide json yaml name' -- "$cur") ); return ;;
  esac
  if { [ "$verb" = get ] || [ "$verb" = describe ]; } && [ "$COMP_CWORD" -eq 2 ]; then
    COMPREPLY=( $(compgen -W '${verbs.some((v) => v.name === 'get') ? RESOURCES.join(' ') : ''}' -- "$cur") )
    return
  fi
  if [ "$verb" = completion ]; then COMPREPLY=( $(compgen -W 'bash zsh fish' -- "$cur") ); return; fi
  case "$verb" in
${cases}
    *) opts='' ;;
  esac
  COMPREPLY=( $(compgen -W "$opts --help" -- "$cur") )
}
complete -o default -F _atomsync atomsync
`;
}

function fish(verbs: readonly VerbSpec[]): string {
  const lines = ['# atomsync fish completion', 'complete -c atomsync -f'];
  for (const verb of verbs) {
    lines.push(`complete -c atomsync -n '__fish_use_subcommand' -a ${verb.name} -d '${verb.description}'`);
    for (const option of verb.options.filter((flag) => flag.startsWith('--')))
      lines.push(`complete -c atomsync -n '__fish_seen_subcommand_from ${verb.name}' -l ${option.slice(2)}`);
  }
  lines.push(
    `complete -c atomsync -n '__fish_seen_subcommand_from get describe' -a '${RESOURCES.join(' ')}'`,
  );
  lines.push(`complete -c atomsync -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'`);
  return `${lines.join('\n')}\n`;
}
