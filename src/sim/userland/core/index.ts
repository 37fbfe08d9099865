/** The core programs: small coreutils every context has. */
import type { ProgramSpec } from "../types.js";
import { cat } from "./cat.js";
import { echo } from "./echo.js";
import { env, printenv } from "./env.js";
import { hostname } from "./hostname.js";
import { pwd } from "./pwd.js";
import { sleep } from "./sleep.js";
import { bracket, test } from "./test.js";
import { falseProgram, trueProgram } from "./truefalse.js";
import { uniq } from "./uniq.js";
import { date } from "./date.js";
import { uname } from "./uname.js";

export const programs: ProgramSpec[] = [cat, echo, env, printenv, hostname, pwd, sleep, test, bracket, trueProgram, falseProgram, uniq, date, uname];
