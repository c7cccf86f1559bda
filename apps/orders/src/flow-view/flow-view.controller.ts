import { Controller, Get, Header, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { FlowStream } from './flow-stream.js';
import { flowTopology, type FlowTopology } from './flow-topology.js';
import { FLOW_PAGE } from './page/flow-page.html.js';
import { FLOW_SCRIPT } from './page/flow-page.script.js';
import { FLOW_STYLES } from './page/flow-page.styles.js';
import { SseClient } from './sse-client.js';

/**
 * The live view of the message flow: a page, its script and styles served
 * from this origin (the Content-Security-Policy allows no inline script), the
 * topology it draws, and the stream of what passes on the wire.
 */
@ApiExcludeController()
@Controller('flow')
export class FlowViewController {
  private readonly topology = flowTopology();

  constructor(private readonly stream: FlowStream) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  page(): string {
    return FLOW_PAGE;
  }

  @Get('flow.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  script(): string {
    return FLOW_SCRIPT;
  }

  @Get('flow.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  styles(): string {
    return FLOW_STYLES;
  }

  @Get('topology')
  topologyOf(): FlowTopology {
    return this.topology;
  }

  @Get('stream')
  async follow(@Req() request: Request, @Res() response: Response): Promise<void> {
    const client = new SseClient(response);
    request.once('close', () => this.stream.leave(client));
    await this.stream.follow(client);
  }
}
