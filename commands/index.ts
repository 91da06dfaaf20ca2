import type { Command } from '../src/chat/define';
import accept from './accept';
import answerCustomer from './answer-customer';
import answer from './answer';
import arrive from './arrive';
import assess from './assess';
import bind from './bind';
import complaint from './complaint';
import complete from './complete';
import connection from './connection';
import coordinate from './coordinate';
import dispatch from './dispatch';
import help from './help';
import holidays from './holidays';
import inquiry from './inquiry';
import inspect from './inspect';
import learn from './learn';
import mine from './mine';
import onsite from './onsite';
import outageEnd from './outage-end';
import outage from './outage';
import outageRenew from './outage-renew';
import pendingRevisit from './pending-revisit';
import plan from './plan';
import powerOn from './power-on';
import praise from './praise';
import query from './query';
import reclassify from './reclassify';
import redispatch from './redispatch';
import refer from './refer';
import repair from './repair';
import report from './report';
import returnCommand from './return';
import review from './review';
import revisit from './revisit';
import show from './show';
import suggestion from './suggestion';

/**
 * Every slash command of the bot, one file each: imported here by name, as jobs/index.ts lists the jobs, so the
 * composition root hands them to the chat layer and the architecture test sees each one.
 */
export const COMMANDS: readonly Command[] = [
  accept, answerCustomer, answer, arrive, assess, bind, complaint, complete, connection, coordinate, dispatch, help,
  holidays, inquiry, inspect, learn, mine, onsite, outageEnd, outage, outageRenew, pendingRevisit, plan, powerOn, praise, query, reclassify,
  redispatch, refer, repair, report, returnCommand, review, revisit, show, suggestion,
];
