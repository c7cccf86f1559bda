import { applyDecorators, Catch, UseFilters, type RpcExceptionFilter } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import type { MessageDefinition } from '@app/contracts';
import { throwError, type Observable } from 'rxjs';
import { MESSAGE_DEFINITION_EXTRA } from './jetstream/jetstream.server.js';

/**
 * Hands a handler's error to the transport unchanged: it alone decides between
 * retry and dead letter, and the dead letter must say what really went wrong.
 */
@Catch()
class ErrorsToTransport implements RpcExceptionFilter {
  catch(error: unknown): Observable<never> {
    return throwError(() => error);
  }
}

function handles(message: MessageDefinition) {
  return applyDecorators(
    EventPattern<string>(message.subject, { [MESSAGE_DEFINITION_EXTRA]: message }),
    UseFilters(ErrorsToTransport),
  );
}

/** Marks the one handler of a command this app receives. */
export function HandleCommand(command: MessageDefinition): MethodDecorator {
  if (command.kind !== 'command') throw new Error(`${command.name} is not a command`);
  return handles(command);
}

/** Marks this app's handler of an event; every subscribing app gets every event. */
export function HandleEvent(event: MessageDefinition): MethodDecorator {
  if (event.kind !== 'event') throw new Error(`${event.name} is not an event`);
  return handles(event);
}
