import { Controller, Get, Header, Inject, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { FlowStream } from './flow-stream.js';
import { flowTopology } from './flow-topology.js';
import type { FlowTopology } from './flow-wire.js';
import { FLOW_PAGE, type FlowPage } from './flow-page-files.js';
import { SseClient } from './sse-client.js';

/**
 * The live view of the message flow: a page, its script and styles served
 * from this origin (the Content-Security-Policy allows no inline script), the
 * topology it draws, and the stream of what passes on the wire.
 */
@Controller('flow')
export class FlowViewController {
  private readonly topology = flowTopology();

  constructor(
    private readonly stream: FlowStream,
    @Inject(FLOW_PAGE) private readonly page: FlowPage,
  ) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  markup(): string {
    return this.page.html;
  }

  @Get('flow-page.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  script(): string {
    return this.page.script;
  }

  @Get('flow-page.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  styles(): string {
    return this.page.styles;
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
