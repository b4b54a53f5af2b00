"""``python -m gan_course``: reproduce the shipped checkpoints.

    python -m gan_course list                 what can be reproduced, and how it scored
    python -m gan_course reproduce vae-z2     retrain one and rewrite its entry in the manifest

What each name trains, and how: :mod:`gan_course.checkpoints.zoo`.
"""

from __future__ import annotations

import argparse
import sys

def main(argv=None) -> int:
    from gan_course.checkpoints import read_manifest
    from gan_course.checkpoints.zoo import RECIPES, reproduce

    parser = argparse.ArgumentParser(prog="python -m gan_course", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="the checkpoints that can be reproduced")
    rep = commands.add_parser("reproduce", help="retrain a checkpoint and update the manifest")
    rep.add_argument("name", choices=sorted(RECIPES))
    rep.add_argument("--directory", default=None, help="where to write it (default: the shipped folder)")
    args = parser.parse_args(argv)
    if args.command == "list":
        manifest = read_manifest()
        for name in RECIPES:
            print(f"{name}: shipped metrics: {manifest.get(name, {}).get('metrics', 'not shipped')}")
    else:
        print(f"{args.name}: {reproduce(args.name, args.directory)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
